// Retention: every table that grows with requests or runs has a rule, so a store left running for
// months stays the size of its recent history. A rule is a SQL condition over its own table; a
// prune deletes the rows it matches, children before parents, in one transaction. `tickwork prune`
// applies the rules by hand and the control server at start and every few hours (TICKWORK_RETENTION).
// Rules that delete nothing (state, or tables that keep themselves small) are listed too, so the
// limits table says what happens to every table.
import type Database from 'better-sqlite3';
import { TickworkError } from '../errors.js';
import { STORE_LIMITS } from '../limits.js';
import { isoTime } from '../pacing.js';
import { parseDurationMs } from '../scenario/duration.js';

export interface RetentionRule {
  readonly table: string;
  /** What the rule keeps and drops, for the limits table and `prune --dry-run`. */
  readonly rule: string;
  /**
   * The rows to delete, as a WHERE condition. Parameters: `@cutoffMs` (epoch ms), `@cutoffText`
   * (the same instant as SQLite's `datetime('now')` writes it) and `@nowMs`. Absent: this table
   * is never pruned here.
   */
  readonly where?: string;
}

export interface PruneOptions {
  /** Rows older than this leave. */
  readonly olderThanMs: number;
  /** Count, delete nothing. */
  readonly dryRun: boolean;
  readonly nowMs: number;
}

export interface PrunedTable {
  readonly table: string;
  readonly rows: number;
}

/** Statuses of a run that ended and cannot resume. Interrupted runs stay whatever their age: they are resumable. */
const ENDED = "('completed', 'failed', 'stopped')";
const OLD_ENDED_RUNS = `SELECT id FROM runs WHERE status IN ${ENDED} AND updated_at < @cutoffMs`;

/** The runtime's own tables, after every pack's (a pack's rows may point at runs). */
export const CORE_RETENTION: readonly RetentionRule[] = [
  {
    table: 'run_checkpoints',
    rule: 'dropped once a run ended (completed, failed or stopped: it cannot resume); an interrupted run keeps its last ones',
    where: `run_id IN (SELECT id FROM runs WHERE status IN ${ENDED})`,
  },
  {
    table: 'run_inputs',
    rule: 'with its run',
    where: `run_id IN (${OLD_ENDED_RUNS})`,
  },
  {
    table: 'run_metrics',
    rule: 'with its run (a service run thins its own as it goes)',
    where: `run_id IN (${OLD_ENDED_RUNS})`,
  },
  {
    table: 'run_violations',
    rule: 'with its run',
    where: `run_id IN (${OLD_ENDED_RUNS})`,
  },
  {
    table: 'runs',
    rule: 'ended runs older than the retention; running and interrupted (resumable) runs stay',
    where: `status IN ${ENDED} AND updated_at < @cutoffMs`,
  },
];

/** SQLite's `datetime('now')` text for an instant: what the packs' TEXT timestamps hold. */
function sqliteText(ms: number): string {
  return isoTime(ms).slice(0, 19).replace('T', ' ');
}

/** Apply the rules in order (in one transaction); the rows each matched, deleted unless a dry run. */
export function prune(db: Database.Database, rules: readonly RetentionRule[], o: PruneOptions): PrunedTable[] {
  const cutoffMs = o.nowMs - o.olderThanMs;
  const params = { cutoffMs, cutoffText: sqliteText(cutoffMs), nowMs: o.nowMs };
  const bind = (where: string) =>
    Object.fromEntries(Object.entries(params).filter(([name]) => where.includes(`@${name}`)));
  return db.transaction(() =>
    rules.flatMap((r) => {
      if (!r.where) return [];
      const sql = `FROM "${r.table}" WHERE ${r.where}`;
      const rows = o.dryRun
        ? (db.prepare(`SELECT COUNT(*) AS n ${sql}`).get(bind(r.where)) as { n: number }).n
        : db.prepare(`DELETE ${sql}`).run(bind(r.where)).changes;
      return [{ table: r.table, rows }];
    }),
  )();
}

/**
 * The retention a setting names ('30d', '12h'; 'off' for none), or STORE_LIMITS.retentionMs when
 * unset. `source` names the setting in the error.
 */
export function retentionMs(raw: string | undefined, source = 'TICKWORK_RETENTION'): number | undefined {
  if (raw === undefined || raw.trim() === '') return STORE_LIMITS.retentionMs;
  if (raw.trim() === 'off') return undefined;
  const ms = parseDurationMs(raw.trim());
  if (ms === undefined || ms < 3_600_000)
    throw new TickworkError(
      'TW_ERR_USAGE',
      `${source} must be a duration of at least 1h such as 30d, or off (got '${raw}')`,
      source,
    );
  return ms;
}
