// `tickwork runs`: the stored runs, newest first, filtered by pack, status or scenario; and
// `tickwork show <id>`: one run's summary. Ids may be given by unique prefix.
import { flag, parseFlags } from '../../runtime/edge/command-flags.js';
import { EXIT, usageError } from '../../runtime/edge/exit-codes.js';
import type { CliContext } from '../cli-context.js';
import { formatSummary } from '../format-summary.js';
import { formatDurationMs } from '../../runtime/scenario/duration.js';
import { Store, resolveDbPath } from '../../runtime/store/store.js';
import { runListing } from '../../runtime/run/run-listing.js';
import type { RunSummary } from '../../runtime/run/run-summary.js';
import { RUN_STATUSES, type RunStatus } from '../../runtime/store/store-rows.js';
import { sweepLabel } from '../../runtime/sweep/sweep-plan.js';

export const RUNS_HELP = `Usage: tickwork runs [options]

List stored runs, newest first.

Options:
  --pack P        only runs of this pack
  --status S      running | completed | failed | stopped | interrupted
  --scenario S    only runs of this scenario
  --label L       only runs started with this label (tickwork run --label)
  --sweep ID      only the runs of one sweep (tickwork sweep; the same as --label sweep:ID)
  --limit N       at most N runs (default 20)
  --db PATH       SQLite store (default: $TICKWORK_DB or ./data/tickwork.db)
  --json          one JSON array`;

export const SHOW_HELP = `Usage: tickwork show <runId|prefix> [--json] [--db PATH]

Print a stored run's summary (the one \`tickwork run\` printed at its end), or its state if it has none yet.`;

export async function runsCommand(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    pack: { type: 'string' },
    status: { type: 'string' },
    scenario: { type: 'string' },
    label: { type: 'string' },
    sweep: { type: 'string' },
    limit: { type: 'string' },
    db: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    console.log(RUNS_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw usageError(`runs takes no positional arguments (got '${positionals[0]}')`);
  if (values.status !== undefined && !RUN_STATUSES.includes(values.status as RunStatus))
    throw usageError(`--status must be one of ${RUN_STATUSES.join(', ')} (got '${values.status}')`, 'status');
  if (values.label !== undefined && values.sweep !== undefined)
    throw usageError('give --label or --sweep, not both (a sweep is the label sweep:<id>)', 'sweep');
  const store = new Store(resolveDbPath(values.db), ctx.packs.migrationSets());
  try {
    const rows = store.listRuns(flag('limit', values.limit) ?? 20, {
      pack: values.pack,
      status: values.status,
      scenario: values.scenario,
      label: values.sweep !== undefined ? sweepLabel(values.sweep) : values.label,
    });
    const list = rows.map(runListing);
    if (values.json) console.log(JSON.stringify(list));
    else if (list.length === 0) console.log('no runs');
    else
      for (const r of list)
        console.log(
          `${r.runId.slice(0, 8)}  ${r.pack.padEnd(9)} ${r.scenario.padEnd(14)} ${r.status.padEnd(11)} ${r.verdict.padEnd(7)} seed ${String(r.seed).padEnd(10)} sim ${formatDurationMs(r.simMs).padEnd(7)} ${r.createdAt}`,
        );
    return EXIT.ok;
  } finally {
    store.close();
  }
}

export async function showCommand(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(argv, { db: { type: 'string' }, json: { type: 'boolean' } });
  if (values.help) {
    console.log(SHOW_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw usageError('show takes exactly one run id (or a unique prefix)', 'runId');
  const store = new Store(resolveDbPath(values.db), ctx.packs.migrationSets());
  try {
    const row = store.findRun(positionals[0]);
    const summary = row.summary_json ? (JSON.parse(row.summary_json) as RunSummary) : undefined;
    if (values.json) console.log(JSON.stringify(summary ?? runListing(row)));
    else if (summary) console.log(formatSummary(summary));
    else
      console.log(
        `run ${row.id}  ${row.scenario} (pack ${row.pack})  seed ${row.seed}  ${row.status}  no summary yet${row.error ? `\n  ${row.error}` : ''}`,
      );
    return EXIT.ok;
  } finally {
    store.close();
  }
}
