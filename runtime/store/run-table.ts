// The `runs` table: one row per run, its status, owner and final summary. Ownership is a host:pid
// (run-owner.ts), so rows of processes that died unannounced can be marked interrupted.
import { wallEpochMs } from '../pacing.js';
import { ownerIsGone, THIS_OWNER } from './run-owner.js';
import { resolveRunRef } from './run-ref.js';
import type { RunFilter, RunRow } from './store-rows.js';
import type { StoreFile } from './store-file.js';

export class RunTable {
  constructor(private readonly file: StoreFile) {}

  /**
   * Runs still marked running whose process on this host is gone (killed before it could say
   * so) become `interrupted`: resumable, and no longer shown as live.
   */
  markOrphans(): void {
    const running = this.file
      .statement("SELECT id, owner FROM runs WHERE status = 'running' AND owner IS NOT NULL")
      .all() as Pick<RunRow, 'id' | 'owner'>[];
    for (const { id, owner } of running) {
      if (!ownerIsGone(owner)) continue;
      this.update(id, {
        status: 'interrupted',
        error: `its process (${owner}) ended without closing it; resume it with: tickwork resume ${id}`,
      });
    }
  }

  create(r: Pick<RunRow, 'id' | 'scenario' | 'pack' | 'seed' | 'scenario_json' | 'options_json'>): void {
    return this.file.write('a new run row', () => {
      const now = wallEpochMs();
      this.file
        .statement(
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
  claim(row: Pick<RunRow, 'id' | 'status' | 'owner'>): boolean {
    return this.file.write('a resume claim', () => {
      const claimed = this.file
        .statement(
          "UPDATE runs SET status = 'running', error = NULL, owner = @owner, updated_at = @now WHERE id = @id AND status = @status AND owner IS @was",
        )
        .run({ id: row.id, status: row.status, was: row.owner, owner: THIS_OWNER, now: wallEpochMs() });
      return claimed.changes === 1;
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
        `SELECT * FROM runs WHERE (@pack IS NULL OR pack = @pack) AND (@status IS NULL OR status = @status) AND (@scenario IS NULL OR scenario = @scenario)
       ORDER BY created_at DESC, rowid DESC LIMIT @limit`,
      )
      .all({
        pack: filter.pack ?? null,
        status: filter.status ?? null,
        scenario: filter.scenario ?? null,
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
