// `tickwork replay <runId>`: re-run from the stored seed and input log, performing no effects,
// and compare digests.
import { flag, parseFlags } from '../../runtime/edge/command-flags.js';
import { EXIT, usageError } from '../../runtime/edge/exit-codes.js';
import { Run } from '../../runtime/run/run.js';
import { Store, resolveDbPath } from '../../runtime/store/store.js';
import { storedRun } from '../../runtime/run/stored-run.js';
import { isOpenEnded } from '../../runtime/scenario/scenario-schema.js';
import { formatDurationMs } from '../../runtime/scenario/duration.js';
import type { CliContext } from '../cli-context.js';

export const REPLAY_HELP = `Usage: tickwork replay <runId> [options]

Re-run a recorded run from its seed and input log (effects are not performed: their recorded
results are used) and compare the digest with the recorded one. An open-ended (service) run,
whose log is compacted, replays from its older kept checkpoint.

Options:
  --workers N   worker threads for the replay (default: as recorded)
  --window-ticks N
                most ticks between barriers (default: as recorded; any value must give the
                recorded digest, which is what --window-ticks 1 checks)
  --db PATH     SQLite store (default: $TICKWORK_DB or ./data/tickwork.db)
  --json        print {runId, digest, expected, match} as JSON
  -h, --help    this help

Exit: 0 digests match, 1 they differ, 2 usage error or unknown run.`;

export async function replayCommand(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    workers: { type: 'string' },
    'window-ticks': { type: 'string' },
    db: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    console.log(REPLAY_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw usageError('replay takes exactly one run id', 'runId');
  const store = new Store(resolveDbPath(values.db), ctx.packs.migrationSets());
  const { row, options, inputs } = storedRun(ctx.packs, store, positionals[0]);
  // A service run's log is compacted behind its older kept checkpoint: its replay starts there.
  const checkpoint = isOpenEnded(options.durationMs) ? store.earliestCheckpoint(row.id) : undefined;
  store.close();
  const workers = flag('workers', values.workers) ?? options.workers;
  const maxWindowTicks = flag('window-ticks', values['window-ticks']) ?? options.maxWindowTicks;
  // A run that chose its executor chooses again, unless told a worker count now.
  const autoWorkers = values.workers === undefined && options.autoWorkers === true;
  // Replay exactly the sim span that was recorded (a stopped or interrupted run ends early).
  const run = new Run(
    { ...options, workers, autoWorkers, maxWindowTicks, pace: 'turbo', durationMs: row.sim_ms },
    { mode: 'replay', inputs, checkpoint, packs: ctx.packs },
  );
  const summary = await run.execute();
  // A run still going has a digest only as of its last progress write: say which point is compared.
  const comparedAt = { status: row.status, simMs: row.sim_ms, ticks: row.ticks };
  const result = {
    runId: row.id,
    digest: summary.digest,
    expected: row.digest,
    match: summary.digest === row.digest,
    comparedAt,
  };
  if (values.json) console.log(JSON.stringify(result));
  else {
    if (row.status === 'running')
      console.log(
        `run ${row.id} is still running: comparing at its last recorded progress, sim ${formatDurationMs(row.sim_ms)} (tick ${row.ticks})`,
      );
    else if (row.status !== 'completed')
      console.log(`run ${row.id} is ${row.status}: replayed to where it ended, sim ${formatDurationMs(row.sim_ms)}`);
    console.log(
      `replay of ${row.id}: digest ${result.digest}, recorded ${result.expected}: ${result.match ? 'MATCH' : 'MISMATCH'}`,
    );
  }
  return result.match ? EXIT.ok : EXIT.failed;
}
