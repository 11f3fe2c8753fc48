// The run store: one SQLite file (better-sqlite3, WAL). Runs, their input log, metric intervals,
// violations and checkpoints. Metric and violation rows are buffered and written in one
// transaction per flush; inputs and checkpoints are written at once, because resume needs them.
import Database from 'better-sqlite3';
import { mkdirSync, statfsSync } from 'node:fs';
import path from 'node:path';
import { serialize, deserialize } from 'node:v8';
import { CORE_NAMESPACE, migrate, namespaceVersion, type MigrationSet } from './migrator.js';
import { TickworkError } from '../errors.js';
import { wallEpochMs } from '../pacing.js';
import type { Violation } from '../invariants/invariant-checker.js';
import type { PartitionSnapshot } from '../protocol.js';
import { sealedFromStore, type SealedSnapshot } from '../partition/sealed-snapshot.js';
import { ownerIsGone, THIS_OWNER } from './run-owner.js';
import { resolveRunRef } from './run-ref.js';

export const DEFAULT_DB_PATH = './data/tickwork.db';

const BUSY_TIMEOUT_MS = 5_000;
/** Below this much free disk a store that failed a write is still reported unwritable. */
const MIN_FREE_DISK_BYTES = 1024 * 1024;

/** `TICKWORK_DB_MAX_MB`: a cap on the store file's size (unset: the disk is the limit). */
function storeCapMb(): number | undefined {
  const raw = process.env.TICKWORK_DB_MAX_MB;
  if (raw === undefined || raw === '') return undefined;
  const mb = Number(raw);
  if (!Number.isFinite(mb) || mb < 1) throw new TickworkError('TW_ERR_USAGE', `TICKWORK_DB_MAX_MB must be a number of megabytes >= 1, not '${raw}'`, 'TICKWORK_DB_MAX_MB');
  return mb;
}

/** A SQLite failure in words an operator acts on, with its code. */
function describeSqliteError(err: unknown): string {
  const code = (err as { code?: string }).code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  const hint =
    code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') ? `another process holds its lock (waited ${BUSY_TIMEOUT_MS / 1000} s)`
    : code === 'SQLITE_FULL' ? 'the disk or the store\'s size cap is full'
    : code.startsWith('SQLITE_READONLY') ? 'the file is read-only'
    : code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' ? 'the file is damaged'
    : code.startsWith('SQLITE_IOERR') ? 'the disk reported an I/O error'
    : undefined;
  return hint ? `${hint} (${code}: ${message})` : `${message}${code ? ` (${code})` : ''}`;
}

export type RunStatus = 'running' | 'completed' | 'failed' | 'stopped' | 'interrupted';

export interface RunRow {
  id: string;
  scenario: string;
  pack: string;
  seed: number;
  status: RunStatus;
  scenario_json: string;
  options_json: string;
  digest: string | null;
  ticks: number;
  sim_ms: number;
  summary_json: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
  /** host:pid of the process running it (null for rows written before owners were kept). */
  owner: string | null;
}

export interface RunFilter {
  pack?: string;
  status?: string;
  scenario?: string;
}

export interface InputRow {
  seq: number;
  tickMs: number;
  kind: string;
  payload: unknown;
}

export interface MetricRow {
  simMs: number;
  name: string;
  kind: 'histogram' | 'counter' | 'gauge';
  count?: number;
  value?: number;
  mean?: number;
  p50?: number;
  p90?: number;
  p95?: number;
  p99?: number;
  p999?: number;
  max?: number;
  hdr?: string;
}

export interface CheckpointRow {
  tickMs: number;
  main: unknown;
  partitions: SealedSnapshot[] | undefined;
}

export function resolveDbPath(flag?: string): string {
  return flag ?? process.env.TICKWORK_DB ?? DEFAULT_DB_PATH;
}

export class Store {
  readonly db: Database.Database;
  private pendingMetrics: { runId: string; row: MetricRow }[] = [];
  private pendingViolations: { runId: string; v: Violation }[] = [];
  private readonly statements = new Map<string, Database.Statement>();
  /** The last failed write, until a write succeeds or health() finds the fault gone. */
  private writeFault: string | undefined;

  /** `packMigrations`: the packs' own tables, applied after the core ones (PackCatalogue.migrationSets()). */
  constructor(readonly file: string, packMigrations: readonly MigrationSet[] = []) {
    const capMb = storeCapMb(); // a bad setting is a usage error, not a store fault
    try {
      if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      // A lock held by another process is waited for (SQLite retries with growing sleeps) this long.
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      if (capMb !== undefined) this.db.pragma(`max_page_count = ${Math.floor((capMb * 1024 * 1024) / (this.db.pragma('page_size', { simple: true }) as number))}`);
      migrate(this.db, packMigrations);
    } catch (err) {
      throw new TickworkError('TW_ERR_STORE', `cannot open store ${file}: ${(err as Error).message}`, 'db');
    }
    try {
      this.markOrphans();
    } catch {
      // A read-only store (replay, show) cannot mark orphans; whoever opens it writable will.
    }
  }

  /**
   * Runs still marked running whose process on this host is gone (killed before it could say
   * so) become `interrupted`: resumable, and no longer shown as live.
   */
  private markOrphans(): void {
    const running = this.statement("SELECT id, owner FROM runs WHERE status = 'running' AND owner IS NOT NULL").all() as Pick<RunRow, 'id' | 'owner'>[];
    for (const { id, owner } of running) {
      if (!ownerIsGone(owner)) continue;
      this.updateRun(id, {
        status: 'interrupted',
        error: `its process (${owner}) ended without closing it; resume it with: tickwork resume ${id}`,
      });
    }
  }

  /** The version of the core schema, or of one pack's tables. */
  schemaVersion(namespace = CORE_NAMESPACE): number {
    return namespaceVersion(this.db, namespace);
  }

  createRun(r: Pick<RunRow, 'id' | 'scenario' | 'pack' | 'seed' | 'scenario_json' | 'options_json'>): void {
    return this.write('a new run row', () => {
      const now = wallEpochMs();
      this.statement(
          `INSERT INTO runs (id, scenario, pack, seed, status, scenario_json, options_json, created_at, updated_at, owner)
           VALUES (@id, @scenario, @pack, @seed, 'running', @scenario_json, @options_json, @now, @now, @owner)`,
        )
        .run({ ...r, now, owner: THIS_OWNER });
    });
  }

  /**
   * This process takes a stored run over to resume it, if the row is still as it was read: one
   * compare-and-set statement, so of two resumes at once exactly one wins.
   */
  claimRun(row: Pick<RunRow, 'id' | 'status' | 'owner'>): boolean {
    return this.write('a resume claim', () => {
      const claimed = this.statement(
        "UPDATE runs SET status = 'running', error = NULL, owner = @owner, updated_at = @now WHERE id = @id AND status = @status AND owner IS @was",
      ).run({ id: row.id, status: row.status, was: row.owner, owner: THIS_OWNER, now: wallEpochMs() });
      return claimed.changes === 1;
    });
  }

  updateRun(id: string, fields: Partial<Pick<RunRow, 'status' | 'digest' | 'ticks' | 'sim_ms' | 'summary_json' | 'error'>>): void {
    return this.write('a run row', () => {
      const keys = Object.keys(fields);
      if (keys.length === 0) return;
      const set = keys.map((k) => `${k} = @${k}`).join(', ');
      this.statement(`UPDATE runs SET ${set}, updated_at = @updated_at WHERE id = @id`).run({ ...fields, id, updated_at: wallEpochMs() });
    });
  }

  getRun(id: string): RunRow | undefined {
    return this.statement('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  }

  listRuns(limit = 50, filter: RunFilter = {}): RunRow[] {
    return this.statement(
      `SELECT * FROM runs WHERE (@pack IS NULL OR pack = @pack) AND (@status IS NULL OR status = @status) AND (@scenario IS NULL OR scenario = @scenario)
       ORDER BY created_at DESC, rowid DESC LIMIT @limit`,
    ).all({ pack: filter.pack ?? null, status: filter.status ?? null, scenario: filter.scenario ?? null, limit }) as RunRow[];
  }

  /** A stored run by its id or a unique prefix of it; TW_ERR_RUN_NOT_FOUND (or ambiguous) otherwise. */
  findRun(ref: string): RunRow {
    return this.getRun(resolveRunRef(ref, (p) => this.runIdsStartingWith(p), this.file))!;
  }

  /** Stored run ids that start with `prefix` (at most `limit`), for unique-prefix lookups. */
  runIdsStartingWith(prefix: string, limit = 2): string[] {
    return (this.statement('SELECT id FROM runs WHERE substr(id, 1, ?) = ? LIMIT ?').all(prefix.length, prefix, limit) as { id: string }[]).map((r) => r.id);
  }

  appendInput(runId: string, input: InputRow): void {
    return this.write('an input log entry', () => {
      this.statement('INSERT OR REPLACE INTO run_inputs (run_id, seq, tick_ms, kind, payload_json) VALUES (?, ?, ?, ?, ?)')
        .run(runId, input.seq, input.tickMs, input.kind, JSON.stringify(input.payload ?? null));
    });
  }

  inputs(runId: string): InputRow[] {
    const rows = this.statement('SELECT seq, tick_ms, kind, payload_json FROM run_inputs WHERE run_id = ? ORDER BY seq').all(runId) as {
      seq: number;
      tick_ms: number;
      kind: string;
      payload_json: string;
    }[];
    return rows.map((r) => ({ seq: r.seq, tickMs: r.tick_ms, kind: r.kind, payload: JSON.parse(r.payload_json) }));
  }

  /** Rows waiting for the next flush. */
  get pendingRows(): number {
    return this.pendingMetrics.length + this.pendingViolations.length;
  }

  bufferMetric(runId: string, row: MetricRow): void {
    this.pendingMetrics.push({ runId, row });
  }

  bufferViolation(runId: string, v: Violation): void {
    this.pendingViolations.push({ runId, v: { ...v } });
  }

  /** Write everything buffered in one transaction. */
  flush(): void {
    if (this.pendingMetrics.length === 0 && this.pendingViolations.length === 0) return;
    const metric = this.statement(
      `INSERT OR REPLACE INTO run_metrics (run_id, sim_ms, name, kind, count, value, mean, p50, p90, p95, p99, p999, max, hdr)
       VALUES (@runId, @simMs, @name, @kind, @count, @value, @mean, @p50, @p90, @p95, @p99, @p999, @max, @hdr)`,
    );
    const violation = this.statement(
      `INSERT OR REPLACE INTO run_violations (run_id, invariant_id, from_sim_ms, to_sim_ms, severity, metric, statistic, operator, threshold, observed)
       VALUES (@runId, @invariantId, @fromSimMs, @toSimMs, @severity, @metric, @statistic, @operator, @threshold, @observed)`,
    );
    // The buffer is cleared only once its transaction committed: a failed flush loses nothing.
    this.write('metric and violation rows', () =>
      this.db.transaction(() => {
        for (const { runId, row } of this.pendingMetrics) {
          metric.run({ count: null, value: null, mean: null, p50: null, p90: null, p95: null, p99: null, p999: null, max: null, hdr: null, ...row, runId });
        }
        for (const { runId, v } of this.pendingViolations) violation.run({ ...v, runId });
      })(),
    );
    this.pendingMetrics = [];
    this.pendingViolations = [];
  }

  saveCheckpoint(runId: string, cp: CheckpointRow): void {
    return this.write('a checkpoint', () => {
      this.flush();
      const tx = this.db.transaction(() => {
        this.statement('INSERT OR REPLACE INTO run_checkpoints (run_id, tick_ms, main_state, partitions, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(runId, cp.tickMs, serialize(cp.main), cp.partitions ? serialize(cp.partitions) : null, wallEpochMs());
        // Keep the two newest: the latest, and one to fall back on.
        this.statement(
            `DELETE FROM run_checkpoints WHERE run_id = ? AND tick_ms NOT IN
               (SELECT tick_ms FROM run_checkpoints WHERE run_id = ? ORDER BY tick_ms DESC LIMIT 2)`,
          )
          .run(runId, runId);
      });
      tx();
    });
  }

  /** One statistic of one metric over a run's stored intervals, in sim-time order. */
  metricSeries(runId: string, name: string, statistic: 'count' | 'value' | 'mean' | 'p50' | 'p95' | 'p99' | 'max'): { simMs: number; value: number }[] {
    this.flush();
    // `statistic` is one of a fixed set of column names, never user text.
    return this.statement(`SELECT sim_ms AS simMs, ${statistic} AS value FROM run_metrics WHERE run_id = ? AND name = ? AND ${statistic} IS NOT NULL ORDER BY sim_ms`).all(
      runId,
      name,
    ) as { simMs: number; value: number }[];
  }

  /**
   * A run's counters summed over its stored intervals: what a run that has no summary (killed
   * before it could write one) had flushed. Exact for runs whose intervals were not downsampled.
   */
  counterTotals(runId: string): Record<string, number> {
    this.flush();
    const rows = this.statement(`SELECT name, SUM(value) AS total FROM run_metrics WHERE run_id = ? AND kind = 'counter' GROUP BY name ORDER BY name`).all(runId) as { name: string; total: number }[];
    return Object.fromEntries(rows.map((r) => [r.name, r.total]));
  }

  /** Drop a run's logged inputs at or before `upToMs` (a service run's compaction). */
  compactInputs(runId: string, upToMs: number): void {
    return this.write('an input log compaction', () => {
      this.statement('DELETE FROM run_inputs WHERE run_id = ? AND tick_ms <= ?').run(runId, upToMs);
    });
  }

  /** Metric rows older than `beforeSimMs` keep only those on a multiple of `everyMs`. */
  downsampleMetrics(runId: string, beforeSimMs: number, everyMs: number): void {
    return this.write('a metric downsampling', () => {
      this.flush();
      this.statement('DELETE FROM run_metrics WHERE run_id = ? AND sim_ms < ? AND sim_ms % ? != 0').run(runId, beforeSimMs, everyMs);
    });
  }

  latestCheckpoint(runId: string): CheckpointRow | undefined {
    return this.checkpointAt(runId, 'DESC');
  }

  /** The older kept checkpoint: where a compacted run's replay starts. */
  earliestCheckpoint(runId: string): CheckpointRow | undefined {
    return this.checkpointAt(runId, 'ASC');
  }

  private checkpointAt(runId: string, order: 'ASC' | 'DESC'): CheckpointRow | undefined {
    const row = this.statement(`SELECT tick_ms, main_state, partitions FROM run_checkpoints WHERE run_id = ? ORDER BY tick_ms ${order} LIMIT 1`)
      .get(runId) as { tick_ms: number; main_state: Buffer; partitions: Buffer | null } | undefined;
    if (!row) return undefined;
    return {
      tickMs: row.tick_ms,
      main: deserialize(row.main_state),
      partitions: row.partitions ? sealedFromStore(deserialize(row.partitions) as (SealedSnapshot | PartitionSnapshot)[]) : undefined,
    };
  }

  violations(runId: string): Violation[] {
    return (
      this.statement('SELECT * FROM run_violations WHERE run_id = ? ORDER BY from_sim_ms, invariant_id')
        .all(runId) as Record<string, unknown>[]
    ).map((r) => ({
      invariantId: r.invariant_id as string,
      severity: r.severity as Violation['severity'],
      metric: r.metric as string,
      statistic: r.statistic as string,
      operator: r.operator as string,
      threshold: r.threshold as number,
      observed: r.observed as number,
      fromSimMs: r.from_sim_ms as number,
      toSimMs: r.to_sim_ms as number,
    }));
  }

  /**
   * Is the file answering, and can it be written? Cheap while writes succeed (one trivial query);
   * after a failed write, a check that does not wait (the write lock, free disk, the size cap) says
   * whether the fault is gone, so /healthz recovers by itself.
   */
  health(): { ok: boolean; path: string; error?: string } {
    try {
      this.statement('SELECT 1').get();
    } catch (err) {
      return { ok: false, path: this.file, error: (err as Error).message };
    }
    if (this.writeFault !== undefined) {
      const still = this.unwritableBecause();
      if (still) return { ok: false, path: this.file, error: `cannot write (${this.writeFault}): ${still}` };
      this.writeFault = undefined;
    }
    return { ok: true, path: this.file };
  }

  /** Every write goes through here: a SQLite failure becomes TW_ERR_STORE naming what was written and why it failed. */
  private write<T>(what: string, fn: () => T): T {
    try {
      const result = fn();
      this.writeFault = undefined;
      return result;
    } catch (err) {
      if (err instanceof TickworkError) throw err;
      const cause = describeSqliteError(err);
      this.writeFault = `${what}: ${cause}`;
      throw new TickworkError('TW_ERR_STORE', `cannot write ${what} to ${this.file}: ${cause}`);
    }
  }

  /** Why a write would fail now, without waiting; undefined when it would not. */
  private unwritableBecause(): string | undefined {
    if (this.file !== ':memory:') {
      const fs = statfsSync(path.dirname(path.resolve(this.file)));
      if (fs.bavail * fs.bsize < MIN_FREE_DISK_BYTES) return `less than ${MIN_FREE_DISK_BYTES / 1024 / 1024} MB free on its disk`;
    }
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    const max = this.db.pragma('max_page_count', { simple: true }) as number;
    if (pages - free >= max - 16) return `at its size cap (TICKWORK_DB_MAX_MB=${process.env.TICKWORK_DB_MAX_MB})`;
    this.db.pragma('busy_timeout = 0');
    try {
      this.db.exec('BEGIN IMMEDIATE; ROLLBACK');
      return undefined;
    } catch (err) {
      return describeSqliteError(err);
    } finally {
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }

  /** Prepared statements are compiled once per connection: preparing costs more than running. */
  private statement(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  close(): void {
    try {
      this.flush();
    } catch {
      // Rows only a store fault left buffered lie after their run's last checkpoint (the fault
      // interrupted it), and its resume writes them again: closing must not fail for them.
    } finally {
      this.db.close();
    }
  }
}
