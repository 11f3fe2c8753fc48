// SimCRM's persistence: simulations and their runs, users and roles, the DLQ, thinning events and
// segments. Each method is one statement or one transaction; rows written from run events are
// keyed by the event, so writing one twice (a resumed run re-runs ticks) changes nothing.
import type { PackTables } from '../../../runtime/sdk.js';
import { createHash } from 'node:crypto';
import type { DlqCategory } from '../sim/outcome.js';
import type { DlqEntry } from '../sim/simulation.js';

export type Role = 'boss' | 'operator';

export interface UserRow {
  id: number;
  name: string;
  role: Role;
  crm_token_enc: string | null;
}

export interface SimulationRow {
  id: number;
  scenario: string;
  start_time: string;
  end_time: string;
  distribution_method: string;
  total_records: number;
  options_json: string;
  owner_id: number | null;
  created_at: string;
}

export interface DlqRow {
  job_key: string;
  run_id: string;
  record: number;
  type: string;
  category: DlqCategory;
  attempts: number;
  message: string;
  at_sim_ms: number;
  items: number;
  entry_json: string;
}

export interface ThinningRow {
  sim_ms: number;
  before: number;
  after: number;
  factor: number;
  total_waiting: number;
  breaker: string;
}

export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class CrmStore {
  constructor(readonly db: PackTables) {}

  addUser(name: string, role: Role, token: string, crmTokenEnc: string | null): number {
    const r = this.db
      .prepare('INSERT INTO crm_users (name, role, token_sha256, crm_token_enc) VALUES (?, ?, ?, ?)')
      .run(name, role, tokenDigest(token), crmTokenEnc);
    return Number(r.lastInsertRowid);
  }

  userByToken(token: string): UserRow | undefined {
    return this.db
      .prepare('SELECT id, name, role, crm_token_enc FROM crm_users WHERE token_sha256 = ?')
      .get(tokenDigest(token)) as UserRow | undefined;
  }

  user(id: number): UserRow | undefined {
    return this.db.prepare('SELECT id, name, role, crm_token_enc FROM crm_users WHERE id = ?').get(id) as
      | UserRow
      | undefined;
  }

  userByName(name: string): UserRow | undefined {
    return this.db.prepare('SELECT id, name, role, crm_token_enc FROM crm_users WHERE name = ?').get(name) as
      | UserRow
      | undefined;
  }

  createSimulation(s: Omit<SimulationRow, 'id' | 'created_at'>): number {
    const r = this.db
      .prepare(
        'INSERT INTO crm_simulations (scenario, start_time, end_time, distribution_method, total_records, options_json, owner_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(s.scenario, s.start_time, s.end_time, s.distribution_method, s.total_records, s.options_json, s.owner_id);
    return Number(r.lastInsertRowid);
  }

  simulation(id: number): SimulationRow | undefined {
    return this.db.prepare('SELECT * FROM crm_simulations WHERE id = ?').get(id) as SimulationRow | undefined;
  }

  /** The newest simulations first. */
  listSimulations(limit: number): SimulationRow[] {
    return this.db.prepare('SELECT * FROM crm_simulations ORDER BY id DESC LIMIT ?').all(limit) as SimulationRow[];
  }

  addRun(simulationId: number, runId: string, kind: 'generate' | 'replay'): void {
    this.db
      .prepare('INSERT INTO crm_simulation_runs (run_id, simulation_id, kind) VALUES (?, ?, ?)')
      .run(runId, simulationId, kind);
  }

  /** The simulation's runs, oldest first. */
  runs(simulationId: number): { run_id: string; kind: 'generate' | 'replay' }[] {
    return this.db
      .prepare('SELECT run_id, kind FROM crm_simulation_runs WHERE simulation_id = ? ORDER BY rowid')
      .all(simulationId) as { run_id: string; kind: 'generate' | 'replay' }[];
  }

  simulationOfRun(runId: string): number | undefined {
    return (
      this.db.prepare('SELECT simulation_id FROM crm_simulation_runs WHERE run_id = ?').get(runId) as
        | { simulation_id: number }
        | undefined
    )?.simulation_id;
  }

  /** A job entered the DLQ (again, after a replay that failed: the row is its latest failure). */
  putDlq(simulationId: number, runId: string, e: DlqEntry): void {
    this.db
      .prepare(
        `INSERT INTO crm_dlq (simulation_id, job_key, run_id, record, type, category, attempts, message, at_sim_ms, items, entry_json, replayed_run_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
         ON CONFLICT (simulation_id, job_key) DO UPDATE SET run_id = excluded.run_id, category = excluded.category, attempts = excluded.attempts,
           message = excluded.message, at_sim_ms = excluded.at_sim_ms, items = excluded.items, entry_json = excluded.entry_json, replayed_run_id = NULL`,
      )
      .run(
        simulationId,
        e.key,
        runId,
        e.record,
        e.type,
        e.category,
        e.attempts,
        e.message,
        e.atMs,
        e.items,
        JSON.stringify(e),
      );
  }

  markReplayed(simulationId: number, keys: readonly string[], runId: string): void {
    const st = this.db.prepare(
      'UPDATE crm_dlq SET replayed_run_id = ? WHERE simulation_id = ? AND job_key = ? AND replayed_run_id IS NULL',
    );
    this.db.transaction(() => {
      for (const k of keys) st.run(runId, simulationId, k);
    })();
  }

  /**
   * Entries waiting in the DLQ, in the order a replay takes them (oldest failure first, then key:
   * the simulation actor's own order), optionally of some categories, at most `limit`.
   */
  waitingDlq(simulationId: number, categories: readonly string[] | undefined, limit: number): DlqRow[] {
    const filter =
      categories && categories.length > 0 ? `AND category IN (${categories.map(() => '?').join(', ')})` : '';
    return this.db
      .prepare(
        `SELECT job_key, run_id, record, type, category, attempts, message, at_sim_ms, items, entry_json FROM crm_dlq WHERE simulation_id = ? AND replayed_run_id IS NULL ${filter} ORDER BY at_sim_ms, job_key LIMIT ?`,
      )
      .all(simulationId, ...(categories ?? []), limit) as DlqRow[];
  }

  /** Waiting entries and the items they hold, by category; for one simulation or all. */
  dlqSummary(simulationId?: number): { category: string; entries: number; items: number }[] {
    const where = simulationId === undefined ? '' : 'AND simulation_id = ?';
    return this.db
      .prepare(
        `SELECT category, COUNT(*) AS entries, SUM(items) AS items FROM crm_dlq WHERE replayed_run_id IS NULL ${where} GROUP BY category ORDER BY category`,
      )
      .all(...(simulationId === undefined ? [] : [simulationId])) as {
      category: string;
      entries: number;
      items: number;
    }[];
  }

  addThinning(runId: string, simMs: number, e: Omit<ThinningRow, 'sim_ms'>, keep: number): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT OR IGNORE INTO crm_thinning_events (run_id, sim_ms, before, after, factor, total_waiting, breaker) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(runId, simMs, e.before, e.after, e.factor, e.total_waiting, e.breaker);
      // THINNING_EVENTS_MAX per run: the oldest go.
      this.db
        .prepare(
          'DELETE FROM crm_thinning_events WHERE run_id = ? AND sim_ms NOT IN (SELECT sim_ms FROM crm_thinning_events WHERE run_id = ? ORDER BY sim_ms DESC LIMIT ?)',
        )
        .run(runId, runId, keep);
    })();
  }

  thinning(runIds: readonly string[]): (ThinningRow & { run_id: string })[] {
    if (runIds.length === 0) return [];
    return this.db
      .prepare(
        `SELECT run_id, sim_ms, before, after, factor, total_waiting, breaker FROM crm_thinning_events WHERE run_id IN (${runIds.map(() => '?').join(', ')}) ORDER BY sim_ms`,
      )
      .all(...runIds) as (ThinningRow & { run_id: string })[];
  }

  addSegment(
    runId: string,
    s: { index: number; count: number; firstRecord: number; startMs: number; expandedAtMs: number },
  ): void {
    this.db
      .prepare(
        'INSERT OR IGNORE INTO crm_segments (run_id, idx, count, first_record, start_ms, expanded_at_ms) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(runId, s.index, s.count, s.firstRecord, s.startMs, s.expandedAtMs);
  }

  segments(
    runId: string,
  ): { idx: number; count: number; first_record: number; start_ms: number; expanded_at_ms: number }[] {
    return this.db
      .prepare(
        'SELECT idx, count, first_record, start_ms, expanded_at_ms FROM crm_segments WHERE run_id = ? ORDER BY idx',
      )
      .all(runId) as {
      idx: number;
      count: number;
      first_record: number;
      start_ms: number;
      expanded_at_ms: number;
    }[];
  }
}
