// The store: numbered migrations upgrade an existing file in place, keeping its runs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Store } from '../runtime/store/store.js';
import { migrate } from '../runtime/store/migrator.js';
import { MIGRATIONS } from '../runtime/store/migrations.js';
import { tempDir, cliSync } from './helpers.js';

test('opening a file made by an older schema applies the missing migrations and keeps its runs', () => {
  const file = path.join(tempDir(), 'old.db');
  const old = new Database(file);
  assert.is(migrate(old, [], 1), 1);
  old
    .prepare(
      `INSERT INTO runs (id, scenario, pack, seed, status, scenario_json, options_json, created_at, updated_at)
       VALUES ('r1', 'ledger', 'ledger', 7, 'completed', '{}', '{}', 1, 1)`,
    )
    .run();
  old.close();

  const store = new Store(file);
  assert.is(store.schemaVersion(), MIGRATIONS[MIGRATIONS.length - 1].version);
  assert.is(store.getRun('r1')?.seed, 7);
  const columns = (store.tables('test').prepare('PRAGMA table_info(runs)').all() as { name: string }[]).map(
    (c) => c.name,
  );
  assert.ok(columns.includes('label'), 'migration 2 added runs.label');
  assert.is(
    (store.tables('test').prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode.toLowerCase(),
    'wal',
  );
  store.close();
  // Opening again is a no-op.
  const again = new Store(file);
  assert.is(again.schemaVersion(), MIGRATIONS[MIGRATIONS.length - 1].version);
  again.close();
});

test("a pack's migrations are numbered on their own; a file keyed by version alone is re-keyed as core", () => {
  const file = path.join(tempDir(), 'packs.db');
  // schema_migrations as files kept it before packs had tables: one version column.
  const old = new Database(file);
  old.exec(
    'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  old.exec(MIGRATIONS[0].sql);
  old.prepare('INSERT INTO schema_migrations VALUES (1, ?, 0)').run(MIGRATIONS[0].name);
  old.close();

  const quotes = {
    namespace: 'quotes',
    migrations: [{ version: 1, name: 'quote table', sql: 'CREATE TABLE quote (id TEXT PRIMARY KEY)' }],
  };
  const store = new Store(file, [quotes]);
  assert.is(store.schemaVersion(), MIGRATIONS[MIGRATIONS.length - 1].version);
  assert.is(store.schemaVersion('quotes'), 1);
  const applied = store
    .tables('test')
    .prepare('SELECT pack, version FROM schema_migrations ORDER BY pack, version')
    .all() as { pack: string; version: number }[];
  assert.equal(
    applied.map((r) => `${r.pack}:${r.version}`),
    [...MIGRATIONS.map((m) => `core:${m.version}`), 'quotes:1'],
  );
  store.tables('test').prepare("INSERT INTO quote VALUES ('q1')").run();
  store.close();

  // A second migration of the pack is applied on the next open, and only it.
  const more = {
    ...quotes,
    migrations: [
      ...quotes.migrations,
      { version: 2, name: 'quote total', sql: 'ALTER TABLE quote ADD COLUMN total INTEGER' },
    ],
  };
  const again = new Store(file, [more]);
  assert.is(again.schemaVersion('quotes'), 2);
  assert.is((again.tables('test').prepare('SELECT COUNT(*) AS n FROM quote').get() as { n: number }).n, 1);
  again.close();
});

test('a CLI run writes its run row, metric intervals and checkpoints to the file named by TICKWORK_DB', () => {
  const file = path.join(tempDir(), 'env.db');
  const r = cliSync(
    ['run', 'ledger', '--seed', '1', '--workers', '0', '--pace', 'turbo', '--duration', '90m', '--json'],
    { TICKWORK_DB: file },
  );
  assert.is(r.code, 0, r.stderr);
  const db = new Database(file, { readonly: true });
  const run = db.prepare('SELECT * FROM runs').get() as { status: string; digest: string; seed: number };
  assert.is(run.status, 'completed');
  assert.is(run.seed, 1);
  assert.is(run.digest, JSON.parse(r.stdout.trim().split('\n').pop()!).digest);
  const intervals = db
    .prepare("SELECT COUNT(DISTINCT sim_ms) AS n FROM run_metrics WHERE name = 'ledger.balance_total'")
    .get() as { n: number };
  assert.ok(intervals.n >= 90, `one gauge row per sim minute, got ${intervals.n}`);
  const cps = db.prepare('SELECT COUNT(*) AS n FROM run_checkpoints').get() as { n: number };
  assert.ok(cps.n >= 1);
  db.close();
  // The stored intervals add up to the run's counters: what a run killed before its summary still tells.
  const summary = JSON.parse(r.stdout.trim().split('\n').pop()!);
  const store = new Store(file);
  assert.equal(store.counterTotals(summary.runId), summary.counters);
  store.close();
});

test.run();
