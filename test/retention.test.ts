// Retention: `tickwork prune` drops what every table's rule says (ended runs past the age with
// their rows, checkpoints of ended runs, each pack's old rows) and keeps the rest (recent runs,
// interrupted runs, each system's newest snapshot, state tables). Rows are aged by rewriting their
// timestamps: nobody waits 30 days.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PACKS, cliSync, lastJsonLine, tempDir } from './helpers.js';

const DAY = 86_400_000;

function count(db: string, sql: string): number {
  const file = new Database(db, { readonly: true });
  try {
    return (file.prepare(`SELECT COUNT(*) AS n FROM ${sql}`).get() as { n: number }).n;
  } finally {
    file.close();
  }
}

test('every retention rule is valid SQL over a real store, and every table of every pack has a rule', () => {
  const db = path.join(tempDir(), 'rules.db');
  const dry = cliSync(['prune', '--dry-run', '--json', '--db', db]);
  assert.is(dry.code, 0, dry.stderr);
  assert.equal(lastJsonLine(dry.stdout).tables, [], 'a fresh store has nothing to prune');
  const file = new Database(db, { readonly: true });
  const tables = (
    file
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'schema_migrations' AND name NOT LIKE 'sqlite_%'",
      )
      .all() as {
      name: string;
    }[]
  ).map((t) => t.name);
  file.close();
  const ruled = new Set(PACKS.retentionRules().map((r) => r.table));
  assert.equal(
    tables.filter((t) => !ruled.has(t)),
    [],
    'tables without a retention rule',
  );
});

test('tickwork prune: ended runs past the age leave with their rows; recent and interrupted runs, and the newest snapshot, stay', () => {
  const dir = tempDir();
  const db = path.join(dir, 'prune.db');
  const ledger = (seed: string) =>
    cliSync(['run', 'ledger', '--seed', seed, '--duration', '30m', '--workers', '0', '--json', '--db', db]);
  const old = lastJsonLine(ledger('1').stdout).runId as string;
  const recent = lastJsonLine(ledger('2').stdout).runId as string;
  const resumable = lastJsonLine(ledger('3').stdout).runId as string;
  // Two snapshots of one system (sv 1 and 2), both old.
  const samples = path.join('samples', 'rebalance');
  for (let i = 0; i < 2; i++) {
    const imported = cliSync([
      'rebalance',
      'import',
      path.join(samples, 'trips.csv'),
      path.join(samples, 'station_information.json'),
      '--db',
      db,
    ]);
    assert.is(imported.code, 0, imported.stderr);
  }
  const file = new Database(db);
  const longAgo = Date.now() - 40 * DAY;
  file.prepare('UPDATE runs SET updated_at = ? WHERE id IN (?, ?)').run(longAgo, old, resumable);
  file.prepare("UPDATE runs SET status = 'interrupted' WHERE id = ?").run(resumable);
  file.prepare("UPDATE rebalance_snapshots SET created_at = datetime('now', '-40 days')").run();
  file.close();
  assert.ok(count(db, `run_checkpoints WHERE run_id = '${recent}'`) > 0, 'a completed run has checkpoints before');
  const before = count(db, 'run_metrics');

  const dry = cliSync(['prune', '--older-than', '30d', '--dry-run', '--json', '--db', db]);
  assert.is(dry.code, 0, dry.stderr);
  const planned = Object.fromEntries(
    (lastJsonLine(dry.stdout).tables as { table: string; rows: number }[]).map((t) => [t.table, t.rows]),
  );
  assert.is(planned.runs, 1);
  assert.is(planned.rebalance_snapshots, 1);
  assert.ok(planned.run_metrics > 0, "the old run's metrics are counted");
  assert.is(count(db, 'run_metrics'), before, 'a dry run deletes nothing');

  const done = cliSync(['prune', '--older-than', '30d', '--db', db]);
  assert.is(done.code, 0, done.stderr);
  assert.match(done.stdout, /^deleted \d+ rows older than 30d/);
  assert.equal(
    [count(db, `runs WHERE id = '${old}'`), count(db, `run_metrics WHERE run_id = '${old}'`)],
    [0, 0],
    'the old ended run and its metrics are gone',
  );
  assert.is(count(db, `runs WHERE id = '${recent}'`), 1, 'the recent run stays');
  assert.ok(count(db, `run_metrics WHERE run_id = '${recent}'`) > 0, 'with its metrics');
  assert.is(count(db, `run_checkpoints WHERE run_id = '${recent}'`), 0, 'but not its checkpoints: it cannot resume');
  assert.is(count(db, `runs WHERE id = '${resumable}'`), 1, 'an interrupted run stays, however old');
  assert.ok(count(db, `run_checkpoints WHERE run_id = '${resumable}'`) > 0, 'with its checkpoints');
  assert.equal([count(db, 'rebalance_snapshots'), count(db, 'rebalance_snapshots WHERE sv = 2')], [1, 1]);

  const bad = cliSync(['prune', '--older-than', 'soon', '--db', db]);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--older-than must be a duration/);
});

test.run();
