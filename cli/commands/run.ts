// `tickwork run <scenario|path.json>`: run a scenario to its end, recording it in the store.
import { randomInt } from 'node:crypto';
import { flag, parseFlags, policyFlags } from '../../runtime/edge/command-flags.js';
import { EXIT, exitCodeForRun, usageError } from '../../runtime/edge/exit-codes.js';
import { attachProgress } from '../progress.js';
import { formatSummary } from '../format-summary.js';
import { checkPolicies, loadScenario } from '../../runtime/scenario/scenario-loader.js';
import { isOpenEnded } from '../../runtime/scenario/scenario-schema.js';
import { writeFileSync } from 'node:fs';
import { renderJUnit } from '../../runtime/report/junit.js';
import { resolveRunOptions } from '../../runtime/run/run-options.js';
import { Run } from '../../runtime/run/run.js';
import { Store, resolveDbPath } from '../../runtime/store/store.js';
import { formatDurationMs } from '../../runtime/scenario/duration.js';
import { handleSignals } from '../signals.js';
import { parseEventFlag } from '../event-flag.js';
import type { RunSummary } from '../../runtime/run/run-summary.js';
import type { CliContext } from '../cli-context.js';

export const RUN_HELP = `Usage: tickwork run <scenario|path.json> [options]

Run a scenario to its end and record it in the store. A scenario is <pack> (its default
scenario), <pack>/<name>, a runbook name such as baseline, or a path to a JSON file.

Options:
  --seed N               run seed (default: random, printed first)
  --workers N            worker threads; 0 runs every partition inline (default: auto, which starts
                         inline and moves to up to cores (max 4) workers only when it measures that
                         they are faster; the summary says what it chose and why)
  --partitions N         logical partitions (default: the scenario's, usually 16)
  --window-ticks N       most ticks partitions run between barriers when the pack's lookahead allows
                         (default: 1000; 1 = a barrier every tick); any value gives the same digest
  --pace turbo|R         'turbo' or R sim ms per real ms (default: the scenario's runbook pace, else turbo)
  --duration D           sim duration, e.g. 20h, 90m, 7d (default: the scenario's)
  --db PATH              SQLite store (default: $TICKWORK_DB or ./data/tickwork.db)
  --json                 print the summary as one JSON object, alone on stdout (everything else on stderr)
  --fail-fast            stop at the first critical invariant violation
  --policy NAME=VALUE    override a scenario policy (VALUE as JSON, else a string); repeatable
  --event TYPE@AT/DUR[:{json}]
                         add a scenario event at sim time AT for DUR, e.g. RATE_LIMIT_BURST@2h/30m or
                         'RLS_MISCONFIG@1h/15m:{"misconfigType":"admin_access"}'; repeatable
  --junit FILE           also write the gates as JUnit XML (one test case per gate) for CI
  --label TEXT           store the run with this label, to find it again: tickwork runs --label TEXT
  -h, --help             this help

Exit: 0 no critical invariant failed, 1 one did (or the run failed), 2 usage or input error.`;

export async function runCommand(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    seed: { type: 'string' },
    workers: { type: 'string' },
    partitions: { type: 'string' },
    'window-ticks': { type: 'string' },
    pace: { type: 'string' },
    duration: { type: 'string' },
    db: { type: 'string' },
    json: { type: 'boolean' },
    'fail-fast': { type: 'boolean' },
    policy: { type: 'string', multiple: true },
    event: { type: 'string', multiple: true },
    junit: { type: 'string' },
    label: { type: 'string' },
  });
  if (values.help) {
    console.log(RUN_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1)
    throw usageError('run takes exactly one scenario name or path.json (see tickwork run --help)', 'scenario');
  const scenarioRef = positionals[0];
  const loaded = loadScenario(ctx.packs, scenarioRef);
  const eventFlags = values.event ?? [];
  // Command-line events join the scenario's own: stored with it, so resume and replay keep them.
  const scenario = {
    ...loaded,
    events: [...loaded.events, ...eventFlags.map((spec, i) => parseEventFlag(spec, i, ctx.packs, loaded.pack))],
  };
  const policies = policyFlags(values.policy ?? []);
  checkPolicies(ctx.packs, scenario.pack, policies, 'TW_ERR_VALIDATION', '--policy', []);
  const options = resolveRunOptions(scenarioRef, scenario, {
    // The seed is chosen here, at the edge, and printed: every run is reproducible.
    seed: flag('seed', values.seed) ?? randomInt(0, 2 ** 31),
    workers: flag('workers', values.workers),
    partitions: flag('partitions', values.partitions),
    maxWindowTicks: flag('window-ticks', values['window-ticks']),
    pace: flag('pace', values.pace),
    durationMs: flag('duration', values.duration),
    failFast: values['fail-fast'] ?? false,
    policies,
    eventFlags,
  });
  const store = new Store(resolveDbPath(values.db), ctx.packs.migrationSets());
  if (values.label !== undefined && (values.label.length === 0 || values.label.length > 200))
    throw usageError('--label must be 1 to 200 characters', 'label');
  const run = new Run(options, { store, packs: ctx.packs, env: process.env, label: values.label });
  // Before the run id is printed: a supervisor that signals as soon as it reads the id must reach
  // the handler, not the default action that would leave the row 'running'.
  const releaseSignals = handleSignals(run);
  // With --json, stdout carries the summary object alone (`| jq .status` works); the rest goes to stderr.
  const say = values.json ? console.error : console.log;
  say(
    `tickwork run ${scenario.name}  seed=${options.seed}  workers=${options.autoWorkers ? `auto(<=${options.workers})` : options.workers}  partitions=${options.partitions}  ` +
      `pace=${options.pace}  duration=${formatDurationMs(options.durationMs)}  tickMs=${scenario.tickMs}  db=${store.file}  runId=${run.id}`,
  );
  if (isOpenEnded(options.durationMs))
    say('open-ended: paced 1:1 with the wall clock until stopped (Ctrl-C interrupts it, resumable)');
  else if (options.pace !== 'turbo' && !values.pace) {
    say(
      `paced at the runbook's ${+Number(options.pace).toFixed(2)}x: about ${formatDurationMs(Math.round(options.durationMs / Number(options.pace)))} of wall time (add --pace turbo to run it as fast as the host can)`,
    );
  }
  const stopProgress = attachProgress(run, process.stderr);
  let summary: RunSummary;
  try {
    summary = await run.execute();
  } finally {
    stopProgress();
    releaseSignals();
    store.close();
  }
  printSummary(summary, values.json ?? false);
  if (values.junit) writeFileSync(values.junit, renderJUnit(summary));
  if (summary.status === 'interrupted') say(`interrupted; continue with: npx tickwork resume ${summary.runId}`);
  return exitCodeForRun(summary);
}

export function printSummary(summary: RunSummary, json: boolean): void {
  if (json) console.log(JSON.stringify(summary));
  else console.log(formatSummary(summary));
}
