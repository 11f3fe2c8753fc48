// The run store: one SQLite file (store-file.ts) and the runtime's tables over it: runs, their
// input log, metric intervals and violations, checkpoints. Metric and violation rows are buffered
// and written in one transaction per flush; inputs and checkpoints are written at once, because
// resume needs them. Packs reach their own tables through `tables(pack)`, never the raw database.
import type { Violation } from '../invariants/invariant-checker.js';
import { envNumber } from '../env-settings.js';
import { STORE_LIMITS } from '../limits.js';
import { wallEpochMs } from '../pacing.js';
import { CheckpointTable } from './checkpoint-table.js';
import { InputTable } from './input-table.js';
import { MetricTable } from './metric-table.js';
import { CORE_NAMESPACE, namespaceVersion, type MigrationSet } from './migrator.js';
import { PackTables } from './pack-tables.js';
import { type PrunedTable, type PruneOptions, prune, type RetentionRule } from './retention.js';
import { type OwnerHold, ownerHold, type RunOwnership } from './run-owner.js';
import { exportRunRows, importRunRows, type RunBundle } from './run-bundle.js';
import { RunTable } from './run-table.js';
import { DEFAULT_DB_PATH, StoreFile } from './store-file.js';
import type { CheckpointRow, InputRow, MetricRow, RunFilter, RunRow } from './store-rows.js';

export { DEFAULT_DB_PATH } from './store-file.js';
export type { RunBundle } from './run-bundle.js';
export type { CheckpointRow, InputRow, MetricRow, RunFilter, RunRow, RunStatus } from './store-rows.js';

export function resolveDbPath(flag?: string): string {
  return flag ?? process.env.TICKWORK_DB ?? DEFAULT_DB_PATH;
}

export class Store {
  private readonly store: StoreFile;
  readonly runs: RunTable;
  readonly inputLog: InputTable;
  readonly metrics: MetricTable;
  readonly checkpoints: CheckpointTable;
  private readonly packTables = new Map<string, PackTables>();

  /**
   * `packMigrations`: the packs' own tables, applied after the core ones (PackCatalogue.migrationSets()).
   * `maxMb`: the store's size cap in MB (TICKWORK_DB_MAX_MB by default; unset, the disk is the limit).
   * `leaseS`: how long a run's lease lasts unrenewed (TICKWORK_RUN_LEASE_S; STORE_LIMITS.runLeaseMs by default).
   */
  constructor(
    readonly file: string,
    packMigrations: readonly MigrationSet[] = [],
    maxMb = process.env.TICKWORK_DB_MAX_MB,
    leaseS = process.env.TICKWORK_RUN_LEASE_S,
  ) {
    this.store = new StoreFile(file, packMigrations, maxMb);
    this.runs = new RunTable(
      this.store,
      envNumber({ TICKWORK_RUN_LEASE_S: leaseS }, 'TICKWORK_RUN_LEASE_S', STORE_LIMITS.runLeaseMs / 1000, 1, 3600) *
        1000,
    );
    this.inputLog = new InputTable(this.store);
    this.metrics = new MetricTable(this.store);
    this.checkpoints = new CheckpointTable(this.store);
    try {
      this.runs.markOrphans();
    } catch {
      // A read-only store (replay, show) cannot mark orphans; whoever opens it writable will.
    }
  }

  /** A pack's handle on its own tables, with the store's fault translation. */
  tables(pack: string): PackTables {
    let t = this.packTables.get(pack);
    if (!t) {
      t = new PackTables(this.store, pack);
      this.packTables.set(pack, t);
    }
    return t;
  }

  /** Apply retention rules (PackCatalogue.retentionRules()): rows per table, deleted unless a dry run. */
  prune(rules: readonly RetentionRule[], options: PruneOptions): PrunedTable[] {
    return this.store.write('a prune of old rows', () => prune(this.store.db, rules, options));
  }

  /** Whether the file is still open (false once closed). */
  get open(): boolean {
    return this.store.db.open;
  }

  /** The version of the core schema, or of one pack's tables. */
  schemaVersion(namespace = CORE_NAMESPACE): number {
    return namespaceVersion(this.store.db, namespace);
  }

  // The runtime's callers speak to the store by these names; each is one table's.
  createRun(r: Pick<RunRow, 'id' | 'scenario' | 'pack' | 'seed' | 'scenario_json' | 'options_json'>): void {
    this.runs.create(r);
  }
  claimRun(row: Pick<RunRow, 'id' | 'status' | 'owner' | 'owner_token'>): boolean {
    return this.runs.claim(row);
  }
  /** How often a running run's owner renews its lease: a third of the lease, at most every 5 s. */
  get leaseRenewEveryMs(): number {
    return Math.min(STORE_LIMITS.leaseRenewEveryMs, Math.floor(this.runs.leaseMs / 3));
  }
  /** False when this process no longer owns the run (see RunTable.renewLease). */
  renewLease(id: string): boolean {
    return this.runs.renewLease(id);
  }
  /** Who holds a run marked running, as far as this process can tell. */
  runHold(row: RunOwnership): OwnerHold {
    return ownerHold(row, wallEpochMs());
  }
  updateRun(id: string, fields: Parameters<RunTable['update']>[1]): void {
    this.runs.update(id, fields);
  }
  /** An ended run as portable rows (run-bundle.ts), for another store. */
  exportRun(id: string): RunBundle {
    return exportRunRows(this.store, id);
  }

  /** A run ended in another store; false when this one already has it. */
  importRun(bundle: RunBundle): boolean {
    return importRunRows(this.store, bundle);
  }

  getRun(id: string): RunRow | undefined {
    return this.runs.get(id);
  }
  listRuns(limit = 50, filter: RunFilter = {}): RunRow[] {
    return this.runs.list(limit, filter);
  }
  findRun(ref: string): RunRow {
    return this.runs.find(ref);
  }
  runIdsStartingWith(prefix: string, limit = 2): string[] {
    return this.runs.idsStartingWith(prefix, limit);
  }
  /** Inputs logged together (a tick's), in one transaction. */
  appendInputs(runId: string, inputs: readonly InputRow[]): void {
    this.inputLog.append(runId, inputs);
  }
  inputs(runId: string): InputRow[] {
    return this.inputLog.list(runId);
  }
  compactInputs(runId: string, upToMs: number): void {
    this.inputLog.compact(runId, upToMs);
  }
  get pendingRows(): number {
    return this.metrics.pendingRows;
  }
  bufferMetric(runId: string, row: MetricRow): void {
    this.metrics.bufferMetric(runId, row);
  }
  bufferViolation(runId: string, v: Violation): void {
    this.metrics.bufferViolation(runId, v);
  }
  flush(): void {
    this.metrics.flush();
  }
  metricSeries(
    runId: string,
    name: string,
    statistic: Parameters<MetricTable['metricSeries']>[2],
  ): { simMs: number; value: number }[] {
    return this.metrics.metricSeries(runId, name, statistic);
  }
  counterTotals(runId: string): Record<string, number> {
    return this.metrics.counterTotals(runId);
  }
  downsampleMetrics(runId: string, beforeSimMs: number, everyMs: number): void {
    this.metrics.downsampleMetrics(runId, beforeSimMs, everyMs);
  }
  violations(runId: string): Violation[] {
    return this.metrics.violations(runId);
  }
  /** A checkpoint is written with every metric row before it: a resume finds them in step. */
  saveCheckpoint(runId: string, cp: CheckpointRow): void {
    this.flush();
    this.checkpoints.save(runId, cp);
  }
  latestCheckpoint(runId: string): CheckpointRow | undefined {
    return this.checkpoints.latest(runId);
  }
  /** The older kept checkpoint: where a compacted run's replay starts. */
  earliestCheckpoint(runId: string): CheckpointRow | undefined {
    return this.checkpoints.earliest(runId);
  }

  /** Is the file answering, and can it be written? (/healthz) */
  health(): { ok: boolean; path: string; error?: string } {
    return this.store.health();
  }

  close(): void {
    try {
      this.flush();
    } catch {
      // Rows only a store fault left buffered lie after their run's last checkpoint (the fault
      // interrupted it), and its resume writes them again: closing must not fail for them.
    } finally {
      this.store.close();
    }
  }
}
