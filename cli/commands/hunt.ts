// `tickwork hunt <scenario> --budget 10m`: random seeds until the budget is spent, the habit of
// FoundationDB's and TigerBeetle's simulation testing (VOPR): a seed that breaks a gate is found
// by running many, and because runs are deterministic its reproduce command breaks it again.
// Stops at the first failure unless told to collect them; exit 1 when one was found.
import { randomBytes, randomInt } from 'node:crypto';
import { flag, parseFlags } from '../../runtime/edge/command-flags.js';
import { EXIT, usageError } from '../../runtime/edge/exit-codes.js';
import { formatDurationMs } from '../../runtime/scenario/duration.js';
import { checkPolicies } from '../../runtime/scenario/scenario-loader.js';
import type { CliContext } from '../cli-context.js';
import { BATCH_FLAGS, BATCH_FLAGS_HELP, batchSettings } from '../sweep/batch-settings.js';
import { runProcesses } from '../sweep/run-processes.js';
import {
  huntLabel,
  parsePolicyAxis,
  SWEEP_LIMITS,
  type SweepCase,
  sweepCases,
} from '../../runtime/sweep/sweep-plan.js';
import { sweepJson, sweepVerdict } from '../../runtime/sweep/sweep-results.js';
import { formatHunt } from '../sweep/sweep-report.js';

export const HUNT_HELP = `Usage: tickwork hunt <scenario> [options]

Run a scenario on random seeds, several at a time, until the budget is spent or a run fails
(a gate broken, or the run ended without a summary). Each failure is printed with the command
that reproduces it; every run is stored, labelled hunt:<id> (tickwork runs --label hunt:<id>).
No run starts after the budget; the runs going then finish.

Options:
  --budget D             wall time to hunt for, e.g. 10m or 2h (default 10m)
  --collect              keep hunting after a failure, until the budget is spent
  --max-runs N           stop after N runs (default and most ${SWEEP_LIMITS.maxRuns})
  --policy NAME=VALUE    a policy for every run (JSON, else a string); repeatable
${BATCH_FLAGS_HELP}
  --json                 print the result as one JSON object on stdout (progress stays on stderr)
  -h, --help             this help

Exit: 0 no run failed, 1 one did, 2 usage or input error.`;

const DEFAULT_BUDGET = '10m';

export async function huntCommand(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    budget: { type: 'string' },
    collect: { type: 'boolean' },
    'max-runs': { type: 'string' },
    policy: { type: 'string', multiple: true },
    ...BATCH_FLAGS,
    json: { type: 'boolean' },
  });
  if (values.help) {
    console.log(HUNT_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1)
    throw usageError('hunt takes exactly one scenario name or path.json (see tickwork hunt --help)', 'scenario');
  const budgetMs = flag('budget', values.budget ?? DEFAULT_BUDGET)!;
  const maxRuns = flag('max-runs', values['max-runs']) ?? SWEEP_LIMITS.maxRuns;
  const axes = (values.policy ?? []).map(parsePolicyAxis);
  for (const axis of axes)
    if (axis.values.length !== 1)
      throw usageError(`--policy ${axis.name} takes one value in a hunt (sweep varies policies)`, 'policy');
  // One case shape for every run: the fixed policies and their label, with the seed filled in.
  const [template] = sweepCases([0], axes);
  const huntId = randomBytes(6).toString('hex');
  const batch = batchSettings(ctx, positionals[0], values, huntLabel(huntId), (scenario) =>
    checkPolicies(ctx.packs, scenario.pack, template.policies, 'TW_ERR_VALIDATION', '--policy', []),
  );
  console.error(
    `tickwork hunt ${batch.scenario.name}  id=${huntId}  budget=${formatDurationMs(budgetMs)}  ` +
      `${values.collect ? 'collecting failures' : 'stops at the first failure'}  ${template.params}  ${batch.describe}`,
  );

  const started = performance.now();
  const tried = new Set<number>();
  let failures = 0;
  const next = (): SweepCase | undefined => {
    if (performance.now() - started >= budgetMs || tried.size >= maxRuns) return undefined;
    if (failures > 0 && !values.collect) return undefined;
    let seed = randomInt(1, SWEEP_LIMITS.maxSeed);
    while (tried.has(seed)) seed = randomInt(1, SWEEP_LIMITS.maxSeed);
    tried.add(seed);
    return { ...template, seed };
  };
  const { results, interrupted } = await runProcesses({
    next,
    parallel: batch.parallel,
    baseArgs: batch.baseArgs,
    onResult: (result, results) => {
      const verdict = sweepVerdict(result);
      if (verdict !== 'PASSED') failures++;
      const elapsed = formatDurationMs(Math.round(performance.now() - started));
      process.stderr.write(
        `[${results.length}] seed ${result.case.seed}  ${verdict}  ${formatDurationMs(Math.round(result.wallMs))}` +
          `  (${elapsed} of ${formatDurationMs(budgetMs)}${failures > 0 ? `, ${failures} failed` : ''})\n`,
      );
    },
  });
  const wallMs = performance.now() - started;
  if (values.json)
    console.log(
      JSON.stringify({
        huntId,
        budgetMs,
        wallMs: Math.round(wallMs),
        ...sweepJson(huntId, batch.scenario.name, results),
      }),
    );
  else console.log(formatHunt(huntId, batch.scenario.name, results, wallMs));
  if (interrupted) console.error(`interrupted after ${results.length} runs`);
  return failures > 0 || interrupted ? EXIT.failed : EXIT.ok;
}
