// `tickwork sweep <scenario> --seeds 1..100 [--policy name=v1,v2]...`: many seeds and parameter
// sets, N runs at a time on this machine. Each run is its own `tickwork run` process (a core each:
// one process is one event loop), stored like any other and labelled with the sweep, so `runs`,
// `show`, `report` and `compare` work on it. Exit 1 when any run did not pass.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { flag, parseFlags } from '../../runtime/edge/command-flags.js';
import { EXIT, usageError } from '../../runtime/edge/exit-codes.js';
import { renderJUnitRuns } from '../../runtime/report/junit.js';
import type { RunSummary } from '../../runtime/run/run-summary.js';
import { checkPolicies, loadScenario } from '../../runtime/scenario/scenario-loader.js';
import { formatDurationMs } from '../../runtime/scenario/duration.js';
import { isOpenEnded, scenarioDurationMs } from '../../runtime/scenario/scenario-schema.js';
import { Store, resolveDbPath } from '../../runtime/store/store.js';
import type { CliContext } from '../cli-context.js';
import { parsePolicyAxis, parseSeeds, type SweepCase, sweepCases, sweepLabel } from '../sweep/sweep-plan.js';
import { formatSweep, type SweepResult, sweepJson, sweepVerdict } from '../sweep/sweep-report.js';

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
  --parallel N           runs at once (default: the cores, ${availableParallelism()} here)
  --pace turbo|R         each run's pace (default: turbo)
  --workers N            worker threads per run (default 0: the parallelism is the runs)
  --duration D           sim duration of each run (default: the scenario's)
  --db PATH              SQLite store (default: $TICKWORK_DB or ./data/tickwork.db)
  --json                 print the result as one JSON object on stdout (progress stays on stderr)
  --junit FILE           also write JUnit XML: a test suite per run, a test case per gate
  -h, --help             this help

Exit: 0 every run passed, 1 one did not, 2 usage or input error.`;

const CLI_MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../main.js');
/** Bytes of a run's stderr kept to say why it ended without a summary. */
const STDERR_TAIL = 2000;

export async function sweepCommand(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    seeds: { type: 'string' },
    policy: { type: 'string', multiple: true },
    parallel: { type: 'string' },
    pace: { type: 'string' },
    workers: { type: 'string' },
    duration: { type: 'string' },
    db: { type: 'string' },
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
  const scenarioRef = positionals[0];
  const scenario = loadScenario(ctx.packs, scenarioRef);
  const cases = sweepCases(parseSeeds(values.seeds), (values.policy ?? []).map(parsePolicyAxis));
  // Every parameter set is checked before any run starts: a typo fails the sweep, not each run.
  for (const c of new Map(cases.map((c) => [c.params, c])).values())
    checkPolicies(ctx.packs, scenario.pack, c.policies, 'TW_ERR_VALIDATION', '--policy', []);
  const parallel = flag('parallel', values.parallel) ?? availableParallelism();
  const pace = values.pace ?? 'turbo';
  flag('pace', pace);
  const workers = values.workers ?? '0';
  flag('workers', workers);
  const durationMs = flag('duration', values.duration) ?? scenarioDurationMs(scenario);
  if (isOpenEnded(durationMs))
    throw usageError('an open-ended scenario never ends: give each run a --duration to sweep it', 'duration');
  const db = resolveDbPath(values.db);
  // Created and migrated here, once: runs starting at the same instant on a new file would race to.
  new Store(db, ctx.packs.migrationSets()).close();
  const sweepId = randomBytes(6).toString('hex');
  const seeds = new Set(cases.map((c) => c.seed)).size;
  console.error(
    `tickwork sweep ${scenario.name}  id=${sweepId}  ${cases.length} runs (${seeds} seeds x ${cases.length / seeds} parameter sets)  ` +
      `parallel=${parallel}  pace=${pace}  workers=${workers} per run  duration=${formatDurationMs(durationMs)}  db=${db}`,
  );

  const baseArgs = ['run', scenarioRef, '--json', '--db', db, '--label', sweepLabel(sweepId), '--pace', pace];
  baseArgs.push('--workers', workers, ...(values.duration ? ['--duration', values.duration] : []));
  const results = await runAll(cases, parallel, baseArgs);

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

/** Runs the cases `parallel` at a time; a signal stops starting new ones and interrupts those running. */
async function runAll(cases: readonly SweepCase[], parallel: number, baseArgs: string[]): Promise<SweepResult[]> {
  const results: SweepResult[] = [];
  const running = new Set<ChildProcess>();
  let next = 0;
  let stopping = false;
  let failedSoFar = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: no new runs; the ${running.size} running are interrupted (resumable)\n`);
    for (const child of running) child.kill('SIGTERM');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const width = String(cases.length).length;
  const lane = async (): Promise<void> => {
    while (!stopping && next < cases.length) {
      const c = cases[next++];
      const result = await runOne(c, baseArgs, running);
      results.push(result);
      const verdict = sweepVerdict(result);
      if (verdict !== 'PASSED') failedSoFar++;
      process.stderr.write(
        `[${String(results.length).padStart(width)}/${cases.length}] seed ${c.seed}  ${c.params}  ${verdict}  ${formatDurationMs(Math.round(result.wallMs))}` +
          `${failedSoFar > 0 ? `  (${failedSoFar} not passed so far)` : ''}\n`,
      );
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(parallel, cases.length) }, lane));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return results;
}

function runOne(c: SweepCase, baseArgs: string[], running: Set<ChildProcess>): Promise<SweepResult> {
  const args = [CLI_MAIN, ...baseArgs, '--seed', String(c.seed)];
  for (const [name, value] of Object.entries(c.policies)) args.push('--policy', `${name}=${JSON.stringify(value)}`);
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-STDERR_TAIL)));
  let settled = false;
  return new Promise((resolve) => {
    const done = (exitCode: number, error?: string) => {
      if (settled) return;
      settled = true;
      running.delete(child);
      const wallMs = performance.now() - started;
      // --json puts the summary alone on the last line of stdout.
      const last = stdout.trim().split('\n').pop() ?? '';
      let summary: RunSummary | undefined;
      try {
        summary = last.startsWith('{') ? (JSON.parse(last) as RunSummary) : undefined;
      } catch {
        summary = undefined;
      }
      const why = error ?? stderr.trim().split('\n').filter(Boolean).pop() ?? `exit ${exitCode}`;
      resolve({ case: c, exitCode, wallMs, ...(summary ? { summary } : { error: why }) });
    };
    child.on('error', (err) => done(EXIT.infrastructure, err.message));
    child.on('close', (code, signal) => done(code ?? EXIT.infrastructure, signal ? `killed by ${signal}` : undefined));
  });
}
