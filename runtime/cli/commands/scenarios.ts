// `tickwork scenarios`: the built-in scenarios, their packs, lengths and default pace.
import { parseFlags } from '../args.js';
import { EXIT } from '../cli-error.js';
import { builtinScenarioNames, loadScenario } from '../../scenario/scenario-loader.js';
import { scenarioDefaultPace, scenarioDurationMs } from '../../scenario/scenario-schema.js';
import { formatDurationMs } from '../../scenario/duration.js';

export const SCENARIOS_HELP = `Usage: tickwork scenarios [--json]

List the built-in scenarios (scenarios/*.json). Any JSON file of the same shape can be run by path.`;

export async function scenariosCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { json: { type: 'boolean' } });
  if (values.help) {
    console.log(SCENARIOS_HELP);
    return EXIT.ok;
  }
  const list = builtinScenarioNames().map((name) => {
    const s = loadScenario(name);
    return {
      name,
      pack: s.pack,
      description: s.description,
      durationMs: scenarioDurationMs(s),
      defaultPace: scenarioDefaultPace(s) ?? 'turbo',
      invariants: s.invariants.map((i) => i.id),
    };
  });
  if (values.json) {
    console.log(JSON.stringify(list));
    return EXIT.ok;
  }
  for (const s of list) {
    const pace = typeof s.defaultPace === 'number' ? `${+s.defaultPace.toFixed(2)}x` : s.defaultPace;
    console.log(`${s.name.padEnd(16)} ${s.pack.padEnd(10)} ${formatDurationMs(s.durationMs).padEnd(8)} pace ${pace.padEnd(8)} ${s.description}`);
  }
  return EXIT.ok;
}
