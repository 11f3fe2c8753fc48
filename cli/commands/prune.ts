// `tickwork prune`: apply every table's retention rule (runtime/store/retention.ts) to a store by
// hand; the control server does the same at start and every few hours.
import { parseFlags } from '../../runtime/edge/command-flags.js';
import { EXIT, usageError } from '../../runtime/edge/exit-codes.js';
import { wallEpochMs } from '../../runtime/pacing.js';
import { formatDurationMs } from '../../runtime/scenario/duration.js';
import { retentionMs } from '../../runtime/store/retention.js';
import { Store, resolveDbPath } from '../../runtime/store/store.js';
import type { CliContext } from '../cli-context.js';

export const PRUNE_HELP = `Usage: tickwork prune [--older-than D] [--dry-run] [--json] [--db PATH]

Delete what the retention rules drop (docs/limits.md, "Retention"): ended runs older than D with
their inputs, metrics and violations; checkpoints of every ended run; each pack's old rows.
Running and interrupted (resumable) runs are never deleted.

Options:
  --older-than D  age of what goes, e.g. 30d, 12h (default: $TICKWORK_RETENTION or 30d)
  --dry-run       count what would go; delete nothing
  --db PATH       SQLite store (default: $TICKWORK_DB or ./data/tickwork.db)
  --json          {"olderThanMs", "dryRun", "tables": [{"table", "rows"}]}`;

/** 30d rather than 720h: retentions are usually whole days. */
const age = (ms: number) => (ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : formatDurationMs(ms));

export async function pruneCommand(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    'older-than': { type: 'string' },
    'dry-run': { type: 'boolean' },
    db: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    console.log(PRUNE_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw usageError(`prune takes no positional arguments (got '${positionals[0]}')`);
  const olderThanMs = values['older-than']
    ? retentionMs(values['older-than'], '--older-than')
    : retentionMs(process.env.TICKWORK_RETENTION);
  if (olderThanMs === undefined) throw usageError('--older-than needs a duration such as 30d', 'older-than');
  const dryRun = values['dry-run'] ?? false;
  const store = new Store(resolveDbPath(values.db), ctx.packs.migrationSets());
  try {
    const tables = store
      .prune(ctx.packs.retentionRules(), { olderThanMs, dryRun, nowMs: wallEpochMs() })
      .filter((t) => t.rows > 0);
    if (values.json) console.log(JSON.stringify({ olderThanMs, dryRun, tables }));
    else {
      const total = tables.reduce((n, t) => n + t.rows, 0);
      console.log(
        `${dryRun ? 'would delete' : 'deleted'} ${total} rows older than ${age(olderThanMs)} from ${store.file}${total ? ':' : ''}`,
      );
      for (const t of tables) console.log(`  ${t.table.padEnd(32)} ${t.rows}`);
    }
    return EXIT.ok;
  } finally {
    store.close();
  }
}
