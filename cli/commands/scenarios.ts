// `tickwork scenarios`: the built-in scenarios, their packs, lengths and default pace.
import { parseFlags } from '../../runtime/edge/command-flags.js';
import { EXIT } from '../../runtime/edge/exit-codes.js';
import { builtinScenarios, loadScenario } from '../../runtime/scenario/scenario-loader.js';
import type { CliContext } from '../cli-context.js';
import { scenarioDefaultPace, scenarioDurationMs } from '../../runtime/scenario/scenario-schema.js';
import { formatDurationMs } from '../../runtime/scenario/duration.js';

export const SCENARIOS_HELP = `Usage: tickwork scenarios [--json]

List the built-in scenarios (scenarios/<pack>/*.json), by the name tickwork run takes. Any JSON
file of the same shape can be run by path.`;

export async function scenariosCommand(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parseFlags(argv, { json: { type: 'boolean' } });
  if (values.help) {
    console.log(SCENARIOS_HELP);
    return EXIT.ok;
  }
  const list = builtinScenarios(ctx.packs).map(({ ref, pack, name }) => {
    const s = loadScenario(ctx.packs, ref);
    // The shortest name `tickwork run` takes: runbook names bare (`baseline`), a pack's default
    // scenario by the pack's name, the rest as <pack>/<name>.
    const scenarios = ctx.packs.get(pack).contract.scenarios;
    const runAs = scenarios?.bareNames ? name : scenarios?.default === name ? pack : ref;
    return {
      name: runAs,
      ref,
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
    console.log(
      `${s.name.padEnd(18)} ${s.pack.padEnd(10)} ${formatDurationMs(s.durationMs).padEnd(8)} pace ${pace.padEnd(8)} ${s.description}`,
    );
  }
  return EXIT.ok;
}
