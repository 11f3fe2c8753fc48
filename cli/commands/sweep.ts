// `tickwork sweep <scenario> --seeds 1..100 [--policy name=v1,v2]...`: many seeds and parameter
// sets, N runs at a time on this machine. Each run is its own `tickwork run` process (a core each:
// one process is one event loop), stored like any other and labelled with the sweep, so `runs`,
// `show`, `report` and `compare` work on it. Exit 1 when any run did not pass.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseFlags } from '../../runtime/edge/command-flags.js';
import { EXIT, usageError } from '../../runtime/edge/exit-codes.js';
import { renderJUnitRuns } from '../../runtime/report/junit.js';
import { checkPolicies, loadScenario } from '../../runtime/scenario/scenario-loader.js';
import { Store } from '../../runtime/store/store.js';
import { formatDurationMs } from '../../runtime/scenario/duration.js';
import type { CliContext } from '../cli-context.js';
import { parameterSets, parsePolicyAxis, parseSeeds, sweepCases, sweepLabel } from '../../runtime/sweep/sweep-plan.js';
import { BATCH_FLAGS, BATCH_FLAGS_HELP, batchSettings } from '../sweep/batch-settings.js';
import { runProcesses } from '../sweep/run-processes.js';
import { runOnFleet } from '../fleet/fleet-sweep.js';
import { type SweepResult, sweepJson, sweepVerdict } from '../../runtime/sweep/sweep-results.js';
import { formatSweep } from '../sweep/sweep-report.js';

export const SWEEP_HELP = `Usage: tickwork sweep <scenario> --seeds SEEDS [options]

Run a scenario over many seeds and parameter sets (every combination), several at a time, and
report which pass. Each run is stored like any other, labelled with the sweep
(tickwork runs --sweep <id>). At the end: a table of runs (seed, parameters, verdict, failed
gates with their worst values, digest, wall time), the pass rate per parameter set, and the
command that reproduces each failing run.

Options:
  --seeds SEEDS          N, A..B or a comma list of them, e.g. 1..100 or 1..20,42 (required)
  --policy NAME=V1,V2    sweep a policy over these values (each JSON, else a string); repeatable:
                         the sweep runs every combination, for every seed
${BATCH_FLAGS_HELP}
  --nats URL             run on a fleet instead of this machine: publish the runs as jobs to
                         NATS JetStream for \`tickwork agent\`s to take, gather results and runs
                         here (--parallel is then each agent's; the scenario must be a name)
  --json                 print the result as one JSON object on stdout (progress stays on stderr)
  --junit FILE           also write JUnit XML: a test suite per run, a test case per gate
  -h, --help             this help

Exit: 0 every run passed, 1 one did not, 2 usage or input error.`;

export async function sweepCommand(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    seeds: { type: 'string' },
    nats: { type: 'string' },
    policy: { type: 'string', multiple: true },
    ...BATCH_FLAGS,
    json: { type: 'boolean' },
    junit: { type: 'string' },
  });
  if (values.help) {
    console.log(SWEEP_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1)
    throw usageError('sweep takes exactly one scenario name or path.json (see tickwork sweep --help)', 'scenario');
  if (values.seeds === undefined) throw usageError('sweep needs --seeds, e.g. --seeds 1..20', 'seeds');
  const cases = sweepCases(parseSeeds(values.seeds), (values.policy ?? []).map(parsePolicyAxis));
  const sweepId = randomBytes(6).toString('hex');
  const batch = batchSettings(ctx, positionals[0], values, sweepLabel(sweepId), (scenario) => {
    // Every parameter set is checked before any run starts: a typo fails the sweep, not each run.
    for (const policies of parameterSets(cases))
      checkPolicies(ctx.packs, scenario.pack, policies, 'TW_ERR_VALIDATION', '--policy', []);
    if (values.nats && values.parallel)
      throw usageError("--parallel is each agent's with --nats (tickwork agent --parallel N)", 'parallel');
    // Agents read no file a message names: a fleet runs the catalogue's scenarios.
    if (values.nats) loadScenario(ctx.packs, positionals[0], { allowFiles: false });
  });
  const scenario = batch.scenario;
  const seeds = new Set(cases.map((c) => c.seed)).size;
  console.error(
    `tickwork sweep ${scenario.name}  id=${sweepId}  ${cases.length} runs (${seeds} seeds x ${cases.length / seeds} parameter sets)  ` +
      (values.nats ? `fleet=${values.nats}  ${batch.describeRuns}` : batch.describe),
  );

  const width = String(cases.length).length;
  let failedSoFar = 0;
  let nextCase = 0;
  const onResult = (result: SweepResult, results: readonly SweepResult[]) => {
    const verdict = sweepVerdict(result);
    if (verdict !== 'PASSED') failedSoFar++;
    process.stderr.write(
      `[${String(results.length).padStart(width)}/${cases.length}] seed ${result.case.seed}  ${result.case.params}  ${verdict}  ` +
        `${formatDurationMs(Math.round(result.wallMs))}${result.agent ? ` on ${result.agent}` : ''}` +
        `${failedSoFar > 0 ? `  (${failedSoFar} not passed so far)` : ''}\n`,
    );
  };
  const { results } = values.nats
    ? await runOnFleet({
        url: values.nats,
        sweepId,
        scenario: positionals[0],
        cases,
        ...batch.runSettings,
        store: new Store(batch.db, ctx.packs.migrationSets()),
        onResult,
      })
    : await runProcesses({
        next: () => cases[nextCase++],
        parallel: Math.min(batch.parallel, cases.length),
        baseArgs: batch.baseArgs,
        onResult,
      });

  const ended = results.length;
  const failed = results.filter((r) => sweepVerdict(r) !== 'PASSED').length;
  if (values.json) console.log(JSON.stringify(sweepJson(sweepId, scenario.name, results)));
  else console.log(formatSweep(sweepId, scenario.name, results));
  if (values.junit)
    writeFileSync(values.junit, renderJUnitRuns(results.flatMap((r) => (r.summary ? [r.summary] : []))));
  if (ended < cases.length) {
    console.error(`interrupted: ${ended} of ${cases.length} runs ended; the rest never started`);
    return EXIT.failed;
  }
  return failed > 0 ? EXIT.failed : EXIT.ok;
}
