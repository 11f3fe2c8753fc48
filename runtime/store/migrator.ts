// Applies numbered migrations per namespace: the core tables (runtime/store/migrations.ts) and
// each pack's own (its module's `migrations`). `schema_migrations` is keyed by (pack, version),
// so packs number their migrations independently; opening an older file applies what is missing.
import type Database from 'better-sqlite3';
import { wallEpochMs } from '../pacing.js';
import { MIGRATIONS, type Migration } from './migrations.js';

/** The namespace of the runtime's own tables in `schema_migrations.pack`. */
export const CORE_NAMESPACE = 'core';

export interface MigrationSet {
  /** `core` or a pack's name. */
  namespace: string;
  migrations: readonly Migration[];
}

/** Files written before packs had migrations keyed schema_migrations by version alone: re-key them as core. */
function ensureMigrationTable(db: Database.Database): void {
  const columns = (
    db.prepare("SELECT name FROM pragma_table_info('schema_migrations')").all() as { name: string }[]
  ).map((c) => c.name);
  if (columns.length > 0 && !columns.includes('pack')) {
    db.transaction(() => {
      db.exec('ALTER TABLE schema_migrations RENAME TO schema_migrations_by_version');
      createMigrationTable(db);
      db.prepare(
        'INSERT INTO schema_migrations (pack, version, name, applied_at) SELECT ?, version, name, applied_at FROM schema_migrations_by_version',
      ).run(CORE_NAMESPACE);
      db.exec('DROP TABLE schema_migrations_by_version');
    })();
  }
  createMigrationTable(db);
}

function createMigrationTable(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    pack TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at INTEGER NOT NULL,
    PRIMARY KEY (pack, version))`);
}

export function namespaceVersion(db: Database.Database, namespace: string): number {
  ensureMigrationTable(db);
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations WHERE pack = ?').get(namespace) as {
    v: number | null;
  };
  return row.v ?? 0;
}

function apply(db: Database.Database, set: MigrationSet, upTo: number): number {
  let version = namespaceVersion(db, set.namespace);
  for (const m of set.migrations) {
    if (m.version <= version || m.version > upTo) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (pack, version, name, applied_at) VALUES (?, ?, ?, ?)').run(
        set.namespace,
        m.version,
        m.name,
        wallEpochMs(),
      );
    })();
    version = m.version;
  }
  return version;
}

/**
 * Apply pending core migrations up to `upTo` (default: all), then every pack's, each migration in
 * its own transaction. Returns the core version.
 */
export function migrate(db: Database.Database, packs: readonly MigrationSet[] = [], upTo = Infinity): number {
  const core = apply(db, { namespace: CORE_NAMESPACE, migrations: MIGRATIONS }, upTo);
  for (const set of packs) apply(db, set, Infinity);
  return core;
}
