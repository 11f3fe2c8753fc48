// The policy service's persistence: systems and their snapshot versions, policy runs with their
// moves, the kill switch setting and incident notes. Every write that belongs together is one
// transaction; timestamps are SQLite's (`datetime('now')`), never this code's.
import { type PackTables, wallEpochMs } from '../../../runtime/sdk.js';
import { POLICY_RUN_RETENTION } from './retention.js';
import { citySchema, type City } from '../domain/city/city.js';
import type { Move } from '../domain/optimiser/problem.js';

export type PolicyRunStatus = 'pending' | 'ready' | 'error' | 'canceled';

export interface PolicyRunRow {
  run_id: string;
  system_id: string;
  sv: number;
  policy_version: string;
  t_bucket: number;
  status: PolicyRunStatus;
  shadow: number;
  no_op: number | null;
  error_reason: string | null;
  timed_out: number;
  fell_back: number;
  fallback_reason: string | null;
  objective: number | null;
  greedy_objective: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  queue_ms: number | null;
  solve_ms: number | null;
}

export interface RunOutcome {
  moves: readonly Move[];
  objective: number;
  greedyObjective: number;
  fallback?: { cause: 'timeout' | 'error'; reason: string };
  queueMs: number;
  solveMs: number;
}

export interface IncidentNote {
  stage: string;
  triggerMetrics: Record<string, unknown>;
  firstObservedAt: string;
  killSwitchApplied: boolean;
  action: string;
}

/** Parsed systems kept per store (a 20k-station city takes ~0.5 s to parse and check). */
const CACHED_SYSTEMS = 8;

export class PolicyStore {
  /**
   * Parsed systems by id, with the snapshot version they were read at: every save of a system
   * adds a snapshot, so a newer version (in this process or another) means read it again.
   */
  private readonly parsed = new Map<string, { sv: number; city: City }>();

  constructor(readonly db: PackTables) {}

  saveSystem(city: City, bikes: readonly number[] = city.stations.map((s) => s.bikes)): number {
    return this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO rebalance_systems (system_id, name, city_json) VALUES (?, ?, ?) ON CONFLICT (system_id) DO UPDATE SET name = excluded.name, city_json = excluded.city_json`,
        )
        .run(city.systemId, city.name, JSON.stringify(city));
      return this.addSnapshot(city.systemId, bikes);
    })();
  }

  /** A new station view; returns its snapshot version (1, 2, ...). */
  addSnapshot(systemId: string, bikes: readonly number[]): number {
    const { sv } = this.db
      .prepare(`SELECT COALESCE(MAX(sv), 0) + 1 AS sv FROM rebalance_snapshots WHERE system_id = ?`)
      .get(systemId) as { sv: number };
    this.db
      .prepare(`INSERT INTO rebalance_snapshots (system_id, sv, bikes_json) VALUES (?, ?, ?)`)
      .run(systemId, sv, JSON.stringify(bikes));
    return sv;
  }

  hasSystem(systemId: string): boolean {
    return this.db.prepare(`SELECT 1 FROM rebalance_systems WHERE system_id = ?`).get(systemId) !== undefined;
  }

  system(systemId: string): City | undefined {
    const { sv } = this.db
      .prepare(`SELECT COALESCE(MAX(sv), 0) AS sv FROM rebalance_snapshots WHERE system_id = ?`)
      .get(systemId) as { sv: number };
    const cached = this.parsed.get(systemId);
    if (cached && cached.sv === sv) {
      this.parsed.delete(systemId);
      this.parsed.set(systemId, cached);
      return cached.city;
    }
    const row = this.db.prepare(`SELECT city_json FROM rebalance_systems WHERE system_id = ?`).get(systemId) as
      | { city_json: string }
      | undefined;
    if (!row) return undefined;
    const city = citySchema.parse(JSON.parse(row.city_json));
    this.parsed.delete(systemId);
    this.parsed.set(systemId, { sv, city });
    // The least recently read goes first.
    if (this.parsed.size > CACHED_SYSTEMS) this.parsed.delete(this.parsed.keys().next().value!);
    return city;
  }

  systems(): { system_id: string; name: string; stations: number; sv: number; created_at: string }[] {
    return this.db
      .prepare(
        `SELECT s.system_id, s.name, json_array_length(s.city_json, '$.stations') AS stations, (SELECT MAX(sv) FROM rebalance_snapshots v WHERE v.system_id = s.system_id) AS sv, s.created_at
         FROM rebalance_systems s ORDER BY s.system_id`,
      )
      .all() as never;
  }

  currentSnapshot(systemId: string): { sv: number; bikes: number[] } | undefined {
    const row = this.db
      .prepare(`SELECT sv, bikes_json FROM rebalance_snapshots WHERE system_id = ? ORDER BY sv DESC LIMIT 1`)
      .get(systemId) as { sv: number; bikes_json: string } | undefined;
    return row ? { sv: row.sv, bikes: JSON.parse(row.bikes_json) } : undefined;
  }

  snapshot(systemId: string, sv: number): number[] | undefined {
    const row = this.db
      .prepare(`SELECT bikes_json FROM rebalance_snapshots WHERE system_id = ? AND sv = ?`)
      .get(systemId, sv) as { bikes_json: string } | undefined;
    return row ? JSON.parse(row.bikes_json) : undefined;
  }

  run(runId: string): PolicyRunRow | undefined {
    return this.db.prepare(`SELECT * FROM policy_runs WHERE run_id = ?`).get(runId) as PolicyRunRow | undefined;
  }

  /** Inserts a pending run; false when the key exists already (a repeat of the same request). */
  insertPending(
    row: Pick<PolicyRunRow, 'run_id' | 'system_id' | 'sv' | 'policy_version' | 't_bucket' | 'shadow'>,
  ): boolean {
    const r = this.db
      .prepare(
        `INSERT INTO policy_runs (run_id, system_id, sv, policy_version, t_bucket, status, shadow) VALUES (@run_id, @system_id, @sv, @policy_version, @t_bucket, 'pending', @shadow) ON CONFLICT (run_id) DO NOTHING`,
      )
      .run(row);
    return r.changes === 1;
  }

  markStarted(runId: string): boolean {
    return (
      this.db
        .prepare(`UPDATE policy_runs SET started_at = datetime('now') WHERE run_id = ? AND status = 'pending'`)
        .run(runId).changes === 1
    );
  }

  /** A pending run's queue entry moves to the canceled path; false when it is not pending. */
  cancel(runId: string): boolean {
    return (
      this.db
        .prepare(
          `UPDATE policy_runs SET status = 'canceled', error_reason = 'canceled', finished_at = datetime('now') WHERE run_id = ? AND status = 'pending'`,
        )
        .run(runId).changes === 1
    );
  }

  finish(runId: string, stationIds: readonly string[], outcome: RunOutcome): void {
    this.db.transaction(() => {
      const changed = this.db
        .prepare(
          `UPDATE policy_runs SET status = 'ready', no_op = @no_op, timed_out = @timed_out, fell_back = @fell_back, fallback_reason = @fallback_reason,
             objective = @objective, greedy_objective = @greedy_objective, queue_ms = @queue_ms, solve_ms = @solve_ms, finished_at = datetime('now')
           WHERE run_id = @run_id AND status = 'pending'`,
        )
        .run({
          run_id: runId,
          no_op: outcome.moves.length === 0 ? 1 : 0,
          timed_out: outcome.fallback?.cause === 'timeout' ? 1 : 0,
          fell_back: outcome.fallback ? 1 : 0,
          fallback_reason: outcome.fallback?.reason ?? null,
          objective: outcome.objective,
          greedy_objective: outcome.greedyObjective,
          queue_ms: outcome.queueMs,
          solve_ms: outcome.solveMs,
        }).changes;
      if (changed === 0) return; // canceled while it ran: the cancel stands
      const insert = this.db.prepare(
        `INSERT INTO policy_moves (run_id, seq, from_station, to_station, bikes) VALUES (?, ?, ?, ?, ?)`,
      );
      outcome.moves.forEach((m, seq) => insert.run(runId, seq, stationIds[m.from], stationIds[m.to], m.bikes));
    })();
  }

  fail(runId: string, reason: string): void {
    this.db
      .prepare(
        `UPDATE policy_runs SET status = 'error', error_reason = ?, finished_at = datetime('now') WHERE run_id = ? AND status = 'pending'`,
      )
      .run(reason, runId);
  }

  moves(runId: string): { seq: number; from_station: string; to_station: string; bikes: number }[] {
    return this.db
      .prepare(`SELECT seq, from_station, to_station, bikes FROM policy_moves WHERE run_id = ? ORDER BY seq`)
      .all(runId) as never;
  }

  /** Global-policy runs finished in the last `windowSec` seconds (served or shadow), for the gates. */
  globalRunsSince(windowSec: number, systemId?: string): PolicyRunRow[] {
    return this.db
      .prepare(
        `SELECT * FROM policy_runs WHERE policy_version = 'rebal.global.v1' AND status IN ('ready', 'error')
           AND created_at >= datetime('now', ?) AND (? IS NULL OR system_id = ?) ORDER BY created_at, run_id`,
      )
      .all(`-${Math.floor(windowSec)} seconds`, systemId ?? null, systemId ?? null) as PolicyRunRow[];
  }

  /** Runs still pending, oldest first (the queue after a restart). */
  pendingRuns(): PolicyRunRow[] {
    return this.db
      .prepare(`SELECT * FROM policy_runs WHERE status = 'pending' ORDER BY created_at, rowid`)
      .all() as PolicyRunRow[];
  }

  /** Finished runs (and their moves) older than `days` leave; pending ones stay whatever their age. */
  prune(days: number): number {
    const pruned = this.db.prune(POLICY_RUN_RETENTION, {
      olderThanMs: Math.floor(days) * 86_400_000,
      dryRun: false,
      nowMs: wallEpochMs(),
    });
    return pruned.find((t) => t.table === 'policy_runs')?.rows ?? 0;
  }

  setting(key: string): string | undefined {
    return (
      this.db.prepare(`SELECT value FROM rebalance_settings WHERE key = ?`).get(key) as { value: string } | undefined
    )?.value;
  }

  setSetting(key: string, value: string): void {
    this.db
      .prepare(
        `INSERT INTO rebalance_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = datetime('now')`,
      )
      .run(key, value);
  }

  addIncident(note: IncidentNote): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO rollout_incidents (stage, trigger_metrics, first_observed_at, kill_switch_applied, action) VALUES (?, ?, ?, ?, ?)`,
        )
        .run(
          note.stage,
          JSON.stringify(note.triggerMetrics),
          note.firstObservedAt,
          note.killSwitchApplied ? 1 : 0,
          note.action,
        ).lastInsertRowid,
    );
  }

  incidents(limit = 50): Record<string, unknown>[] {
    return (
      this.db.prepare(`SELECT * FROM rollout_incidents ORDER BY id DESC LIMIT ?`).all(limit) as Record<
        string,
        unknown
      >[]
    ).map((r) => ({ ...r, trigger_metrics: JSON.parse(r.trigger_metrics as string) }));
  }
}
