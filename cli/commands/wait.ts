// `tickwork wait <id>`: block until a run (in this store, whichever process runs it) ends, then
// print its summary and exit as `run` would: a CI step after `POST /api/runs` needs no sleep.
import { flag, parseFlags } from '../../runtime/edge/command-flags.js';
import { EXIT, usageError } from '../../runtime/edge/exit-codes.js';
import type { CliContext } from '../cli-context.js';
import { Store, resolveDbPath } from '../../runtime/store/store.js';
import { printSummary } from './run.js';
import type { RunSummary } from '../../runtime/run/run-summary.js';

export const WAIT_HELP = `Usage: tickwork wait <runId|prefix> [--timeout D] [--json] [--db PATH]

Wait until the run ends (polling the store twice a second), then print its summary.
Exit: 0 passed, 1 failed or still running at --timeout (default 1h), 2 usage error or unknown run.`;

const POLL_MS = 500;

export async function waitCommand(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    timeout: { type: 'string' },
    db: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    console.log(WAIT_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw usageError('wait takes exactly one run id (or a unique prefix)', 'runId');
  const timeoutMs = flag('duration', values.timeout) ?? 3_600_000;
  const store = new Store(resolveDbPath(values.db), ctx.packs.migrationSets());
  try {
    const id = store.findRun(positionals[0]).id;
    for (let waited = 0; ; waited += POLL_MS) {
      const row = store.findRun(id);
      if (row.status !== 'running' && row.summary_json) {
        const summary = JSON.parse(row.summary_json) as RunSummary;
        printSummary(summary, values.json ?? false);
        return summary.passed ? EXIT.ok : EXIT.failed;
      }
      if (row.status !== 'running') {
        console.error(`run ${id} is ${row.status} with no summary${row.error ? `: ${row.error}` : ''}`);
        return EXIT.failed;
      }
      if (waited >= timeoutMs) {
        console.error(`run ${id} is still running after ${values.timeout ?? '1h'}`);
        return EXIT.failed;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    store.close();
  }
}
