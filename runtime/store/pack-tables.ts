// A pack's handle on its own tables (declared as its migrations) in the run store. Statements and
// transactions in better-sqlite3's shape, but every call goes through the store file's fault
// translation: a SQLite fault in a pack's table is TW_ERR_STORE naming the pack, and /healthz
// reports it degraded until the fault is gone, as for the runtime's own tables.
import type Database from 'better-sqlite3';
import { type PrunedTable, type PruneOptions, prune, type RetentionRule } from './retention.js';
import type { StoreFile } from './store-file.js';

type Params = unknown[];

/** A compiled statement of a pack's; `run` is a write, `get`/`all` are reads. */
export interface PackStatement {
  run(...params: Params): Database.RunResult;
  get(...params: Params): unknown;
  all(...params: Params): unknown[];
}

export type PackTransaction<A extends unknown[], R> = ((...args: A) => R) & { immediate(...args: A): R };

export class PackTables {
  constructor(
    private readonly file: StoreFile,
    /** Whose tables: named in every fault. */
    readonly pack: string,
  ) {}

  private get what(): string {
    return `${this.pack}'s tables`;
  }

  prepare(sql: string): PackStatement {
    const st = this.file.statement(sql);
    return {
      run: (...params) => this.file.guardPack(this.what, true, () => st.run(...params)),
      get: (...params) => this.file.guardPack(this.what, false, () => st.get(...params)),
      all: (...params) => this.file.guardPack(this.what, false, () => st.all(...params)),
    };
  }

  /**
   * `fn` in one transaction (nested calls join the outer one), as better-sqlite3's `transaction`;
   * `.immediate` takes the write lock at its start (a read-then-write that must not interleave).
   */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): PackTransaction<A, R> {
    const tx = this.file.db.transaction(fn);
    const run = (...args: A) => this.file.guardPack(this.what, true, () => tx(...args));
    return Object.assign(run, {
      immediate: (...args: A) => this.file.guardPack(this.what, true, () => tx.immediate(...args)),
    });
  }

  /** Apply some of the pack's own retention rules now (a pack that prunes on its own schedule). */
  prune(rules: readonly RetentionRule[], options: PruneOptions): PrunedTable[] {
    return this.file.guardPack(this.what, true, () => prune(this.file.db, rules, options));
  }

  /** Statements with no parameters and no result (a test's or a tool's own DDL). */
  exec(sql: string): void {
    this.file.guardPack(this.what, true, () => this.file.db.exec(sql));
  }
}
