// `tickwork resume <runId>`: continue an interrupted or killed run from its latest checkpoint.
import { flag, parseFlags } from '../../runtime/edge/command-flags.js';
import { EXIT, exitCodeForRun, usageError } from '../../runtime/edge/exit-codes.js';
import { Run } from '../../runtime/run/run.js';
import { Store, resolveDbPath } from '../../runtime/store/store.js';
import { attachProgress } from '../progress.js';
import { handleSignals } from '../signals.js';
import { printSummary } from './run.js';
import { claimForResume } from '../../runtime/run/stored-run.js';
import type { CliContext } from '../cli-context.js';

export const RESUME_HELP = `Usage: tickwork resume <runId> [options]

Continue an interrupted or killed run from its latest checkpoint (from its start if it was
killed before the first one), with its recorded inputs. It ends with the digest an
uninterrupted run would have.

Options:
  --workers N   worker threads (default: as recorded)
  --force       take over a run still marked running by a live pid that is not a tickwork
                process (the owner died and its pid was reused)
  --db PATH     SQLite store (default: $TICKWORK_DB or ./data/tickwork.db)
  --json        print the summary as one JSON object on the last stdout line
  -h, --help    this help`;

export async function resumeCommand(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    workers: { type: 'string' },
    db: { type: 'string' },
    json: { type: 'boolean' },
    force: { type: 'boolean' },
  });
  if (values.help) {
    console.log(RESUME_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw usageError('resume takes exactly one run id', 'runId');
  const store = new Store(resolveDbPath(values.db), ctx.packs.migrationSets());
  try {
    const { row, options, inputs, checkpoint } = claimForResume(ctx.packs, store, positionals[0], {
      force: values.force ?? false,
    });
    const workers = flag('workers', values.workers) ?? options.workers;
    // A run that chose its executor chooses again, unless told a worker count now.
    const autoWorkers = values.workers === undefined && options.autoWorkers === true;
    const run = new Run(
      { ...options, workers, autoWorkers },
      { store, inputs, checkpoint, runId: row.id, packs: ctx.packs },
    );
    const releaseSignals = handleSignals(run); // before the id is printed (see run.ts)
    (values.json ? console.error : console.log)(
      `tickwork resume ${row.id}  scenario=${row.scenario}  seed=${row.seed}  from ${checkpoint ? `sim ${checkpoint.tickMs}ms` : 'its start (no checkpoint yet)'}  workers=${workers}`,
    );
    const stopProgress = attachProgress(run, process.stderr);
    const summary = await run.execute().finally(() => {
      stopProgress();
      releaseSignals();
    });
    printSummary(summary, values.json ?? false);
    return exitCodeForRun(summary);
  } finally {
    store.close();
  }
}
