// One SQLite file (better-sqlite3, WAL): opening it (pragmas, the size cap, migrations), compiled
// statements, and the one place every write goes through, so a SQLite failure becomes TW_ERR_STORE
// naming what was written and why, and /healthz can say when the fault is gone.
import { STORE_LIMITS } from '../limits.js';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, statfsSync } from 'node:fs';
import path from 'node:path';
import { TickworkError } from '../errors.js';
import { migrate, type MigrationSet } from './migrator.js';

/** The store a user gets without `--db` or `TICKWORK_DB`; its directory is made when missing. */
export const DEFAULT_DB_PATH = './data/tickwork.db';

/**
 * The default store's directory is made on first use; any other path must be in a directory that
 * exists: a typo in `--db` is an error, not a new directory tree with an empty store in it.
 */
function prepareDirectory(file: string): void {
  if (file === ':memory:') return;
  const dir = path.dirname(path.resolve(file));
  if (path.resolve(file) === path.resolve(DEFAULT_DB_PATH)) mkdirSync(dir, { recursive: true });
  else if (!existsSync(dir))
    throw new TickworkError(
      'TW_ERR_USAGE',
      `store ${file}: directory ${dir} does not exist (create it first, or leave out --db and TICKWORK_DB for ${DEFAULT_DB_PATH})`,
      'db',
    );
}

/** `TICKWORK_DB_MAX_MB`: a cap on the store file's size (unset: the disk is the limit). */
function storeCapMb(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return STORE_LIMITS.defaultMaxMb;
  if (raw === 'off') return undefined;
  const mb = Number(raw);
  if (!Number.isFinite(mb) || mb < 1)
    throw new TickworkError(
      'TW_ERR_USAGE',
      `TICKWORK_DB_MAX_MB must be a number of megabytes >= 1 (or off), not '${raw}'`,
      'TICKWORK_DB_MAX_MB',
    );
  return mb;
}

/** A SQLite failure in words an operator acts on, with its code. */
function describeSqliteError(err: unknown): string {
  const code = (err as { code?: string }).code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  const hint =
    code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')
      ? `another process holds its lock (waited ${STORE_LIMITS.busyTimeoutMs / 1000} s)`
      : code === 'SQLITE_FULL'
        ? "the disk or the store's size cap is full"
        : code.startsWith('SQLITE_READONLY')
          ? 'the file is read-only'
          : code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB'
            ? 'the file is damaged'
            : code.startsWith('SQLITE_IOERR')
              ? 'the disk reported an I/O error'
              : undefined;
  return hint ? `${hint} (${code}: ${message})` : `${message}${code ? ` (${code})` : ''}`;
}

export class StoreFile {
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  /** The last failed write, until a write succeeds or health() finds the fault gone. */
  private writeFault: string | undefined;
  private readonly capMb: number | undefined;

  /** `maxMb`: TICKWORK_DB_MAX_MB as the host read it (unset: STORE_LIMITS.defaultMaxMb; 'off': the disk is the limit). */
  constructor(
    readonly file: string,
    packMigrations: readonly MigrationSet[],
    maxMb: string | undefined,
  ) {
    const capMb = storeCapMb(maxMb); // a bad setting is a usage error, not a store fault
    this.capMb = capMb;
    prepareDirectory(file); // likewise a path in no directory
    try {
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      // A lock held by another process is waited for (SQLite retries with growing sleeps) this long.
      this.db.pragma(`busy_timeout = ${STORE_LIMITS.busyTimeoutMs}`);
      if (capMb !== undefined)
        this.db.pragma(
          `max_page_count = ${Math.floor((capMb * 1024 * 1024) / (this.db.pragma('page_size', { simple: true }) as number))}`,
        );
      migrate(this.db, packMigrations);
    } catch (err) {
      throw new TickworkError('TW_ERR_STORE', `cannot open store ${file}: ${(err as Error).message}`, 'db');
    }
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
  write<T>(what: string, fn: () => T): T {
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
      if (fs.bavail * fs.bsize < STORE_LIMITS.minFreeDiskBytes)
        return `less than ${STORE_LIMITS.minFreeDiskBytes / 1024 / 1024} MB free on its disk`;
    }
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    const max = this.db.pragma('max_page_count', { simple: true }) as number;
    if (pages - free >= max - 16) return `at its size cap (TICKWORK_DB_MAX_MB=${this.capMb})`;
    this.db.pragma('busy_timeout = 0');
    try {
      this.db.exec('BEGIN IMMEDIATE; ROLLBACK');
      return undefined;
    } catch (err) {
      return describeSqliteError(err);
    } finally {
      this.db.pragma(`busy_timeout = ${STORE_LIMITS.busyTimeoutMs}`);
    }
  }

  /**
   * A statement on a pack's own tables. SQLite's faults (lock, disk, size cap, damage) become
   * TW_ERR_STORE like the runtime's own, a failed write marking the store degraded; a constraint
   * the pack's schema enforces, or an error the pack throws inside a transaction, stays the pack's.
   */
  guardPack<T>(what: string, write: boolean, fn: () => T): T {
    try {
      const result = fn();
      if (write) this.writeFault = undefined;
      return result;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (typeof code !== 'string' || !code.startsWith('SQLITE_') || code.startsWith('SQLITE_CONSTRAINT')) throw err;
      const cause = describeSqliteError(err);
      if (write) this.writeFault = `${what}: ${cause}`;
      throw new TickworkError(
        'TW_ERR_STORE',
        `cannot ${write ? 'write' : 'read'} ${what} ${write ? 'to' : 'from'} ${this.file}: ${cause}`,
      );
    }
  }

  /** Prepared statements are compiled once per connection: preparing costs more than running. */
  statement(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  close(): void {
    this.db.close();
  }
}
