// The `runs` table: one row per run, its status, owner and final summary. Ownership is a lease
// (run-owner.ts): the owner renews it while it runs, so rows of processes that died unannounced
// can be marked interrupted and taken over, even where their pid cannot be checked.
import { wallEpochMs } from '../pacing.js';
import { ownerHold, THIS_OWNER, THIS_PROC, THIS_TOKEN } from './run-owner.js';
import { resolveRunRef } from './run-ref.js';
import type { RunFilter, RunRow } from './store-rows.js';
import type { StoreFile } from './store-file.js';

export class RunTable {
  constructor(
    private readonly file: StoreFile,
    /** How long a lease lasts from its last renewal (wall ms). */
    readonly leaseMs: number,
  ) {}

  /**
   * Runs still marked running that nobody holds any more (killed before they could say so, or
   * their lease ran out) become `interrupted`: resumable, and no longer shown as live.
   */
  markOrphans(): void {
    const running = this.file
      .statement("SELECT id, owner, owner_token, owner_proc, lease_until FROM runs WHERE status = 'running'")
      .all() as Pick<RunRow, 'id' | 'owner' | 'owner_token' | 'owner_proc' | 'lease_until'>[];
    const now = wallEpochMs();
    for (const row of running) {
      if (!row.owner || ownerHold(row, now) !== 'free') continue;
      this.update(row.id, {
        status: 'interrupted',
        error: `its process (${row.owner}) ended without closing it; resume it with: tickwork resume ${row.id}`,
      });
    }
  }

  /** The columns that make this process a run's owner, with a fresh lease. */
  private ownership(now: number) {
    return { owner: THIS_OWNER, token: THIS_TOKEN, proc: THIS_PROC, lease: now + this.leaseMs };
  }

  create(
    r: Pick<RunRow, 'id' | 'scenario' | 'pack' | 'seed' | 'scenario_json' | 'options_json'> & { label?: string },
  ): void {
    return this.file.write('a new run row', () => {
      const now = wallEpochMs();
      this.file
        .statement(
          `INSERT INTO runs (id, scenario, pack, seed, status, scenario_json, options_json, created_at, updated_at, owner, owner_token, owner_proc, lease_until, label)
           VALUES (@id, @scenario, @pack, @seed, 'running', @scenario_json, @options_json, @now, @now, @owner, @token, @proc, @lease, @label)`,
        )
        .run({ ...r, label: r.label ?? null, now, ...this.ownership(now) });
    });
  }

  /**
   * This process takes a stored run over to resume it, if the row is still as it was read: one
   * compare-and-set statement, so of two resumes at once exactly one wins.
   */
  claim(row: Pick<RunRow, 'id' | 'status' | 'owner' | 'owner_token'>): boolean {
    return this.file.write('a resume claim', () => {
      const now = wallEpochMs();
      const claimed = this.file
        .statement(
          `UPDATE runs SET status = 'running', error = NULL, owner = @owner, owner_token = @token, owner_proc = @proc,
             lease_until = @lease, updated_at = @now
           WHERE id = @id AND status = @status AND owner IS @was AND owner_token IS @wasToken`,
        )
        .run({
          id: row.id,
          status: row.status,
          was: row.owner,
          wasToken: row.owner_token,
          now,
          ...this.ownership(now),
        });
      return claimed.changes === 1;
    });
  }

  /**
   * The owner renews its lease on a running run; false when this process no longer owns the row
   * (another took it over after the lease ran out: the run must stop writing).
   */
  renewLease(id: string): boolean {
    return this.file.write('a run lease', () => {
      const now = wallEpochMs();
      return (
        this.file
          .statement('UPDATE runs SET lease_until = @lease WHERE id = @id AND owner_token = @token')
          .run({ id, token: THIS_TOKEN, lease: now + this.leaseMs }).changes === 1
      );
    });
  }

  update(
    id: string,
    fields: Partial<Pick<RunRow, 'status' | 'digest' | 'ticks' | 'sim_ms' | 'summary_json' | 'error'>>,
  ): void {
    return this.file.write('a run row', () => {
      const keys = Object.keys(fields);
      if (keys.length === 0) return;
      const set = keys.map((k) => `${k} = @${k}`).join(', ');
      this.file
        .statement(`UPDATE runs SET ${set}, updated_at = @updated_at WHERE id = @id`)
        .run({ ...fields, id, updated_at: wallEpochMs() });
    });
  }

  get(id: string): RunRow | undefined {
    return this.file.statement('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  }

  list(limit = 50, filter: RunFilter = {}): RunRow[] {
    return this.file
      .statement(
        `SELECT * FROM runs WHERE (@pack IS NULL OR pack = @pack) AND (@status IS NULL OR status = @status) AND (@scenario IS NULL OR scenario = @scenario) AND (@label IS NULL OR label = @label)
       ORDER BY created_at DESC, rowid DESC LIMIT @limit`,
      )
      .all({
        pack: filter.pack ?? null,
        status: filter.status ?? null,
        scenario: filter.scenario ?? null,
        label: filter.label ?? null,
        limit,
      }) as RunRow[];
  }

  /** A stored run by its id or a unique prefix of it; TW_ERR_RUN_NOT_FOUND (or ambiguous) otherwise. */
  find(ref: string): RunRow {
    return this.get(resolveRunRef(ref, (p) => this.idsStartingWith(p), this.file.file))!;
  }

  /** Stored run ids that start with `prefix` (at most `limit`), for unique-prefix lookups. */
  idsStartingWith(prefix: string, limit = 2): string[] {
    return (
      this.file
        .statement('SELECT id FROM runs WHERE substr(id, 1, ?) = ? LIMIT ?')
        .all(prefix.length, prefix, limit) as { id: string }[]
    ).map((r) => r.id);
  }
}
