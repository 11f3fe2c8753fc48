// A store that cannot write (another process holding its lock, a full disk or size cap, a bad
// path) ends a run interrupted and resumable, never half-written; the server says it is degraded
// and refuses new runs with 503 until the fault is gone, then recovers by itself.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { PACKS, cliSpawn, cliSync, hasPartitionCheckpoint, http, lastJsonLine, tempDir, waitFor } from './helpers.js';
import { startServer } from '../server/server.js';

const ledgerArgs = (db: string) => ['run', 'ledger', '--seed', '8', '--workers', '2', '--duration', '2h', '--db', db];

/** Another process's write lock on the store, held until released. */
function holdWriteLock(db: string): () => void {
  const other = new Database(db);
  other.exec('BEGIN EXCLUSIVE');
  return () => {
    other.exec('ROLLBACK');
    other.close();
  };
}

test('a lock held past the busy timeout interrupts the run with TW_ERR_STORE and exit 3; resume completes it with the uninterrupted digest', async () => {
  const db = path.join(tempDir(), 'locked.db');
  const reference = cliSync([...ledgerArgs(db), '--pace', 'turbo', '--json']);
  const child = cliSpawn([...ledgerArgs(db), '--pace', '600', '--json']);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const runId = await waitFor('the run id', () => /runId=([0-9a-f-]+)/.exec(stderr)?.[1]);
  await waitFor('the first periodic checkpoint', () => hasPartitionCheckpoint(db, runId));
  const release = holdWriteLock(db);
  let code: number;
  try {
    [code] = await once(child, 'exit');
  } finally {
    release();
  }
  assert.is(code, 3, stderr);
  const summary = lastJsonLine(stdout);
  assert.is(summary.status, 'interrupted');
  assert.is(summary.errorCode, 'TW_ERR_STORE');
  assert.match(summary.error, /another process holds its lock/);

  const resumed = cliSync(['resume', runId, '--db', db, '--json']);
  assert.is(resumed.code, 0, resumed.stderr);
  const done = lastJsonLine(resumed.stdout);
  assert.is(done.status, 'completed');
  assert.is(done.digest, lastJsonLine(reference.stdout).digest);
});

test('the size cap (TICKWORK_DB_MAX_MB) reached mid-run: interrupted, exit 3, the cause named, nothing half-written', () => {
  const db = path.join(tempDir(), 'capped.db');
  const r = cliSync(
    ['run', 'ledger', '--seed', '8', '--workers', '0', '--duration', '48h', '--pace', 'turbo', '--db', db, '--json'],
    { TICKWORK_DB_MAX_MB: '1' },
  );
  assert.is(r.code, 3, r.stderr);
  const summary = lastJsonLine(r.stdout);
  assert.is(summary.status, 'interrupted');
  assert.match(summary.error, /TW_ERR_STORE: .*size cap is full \(SQLITE_FULL/);
  // The row is not left running: whichever write failed, the row says interrupted or the next open marks it.
  const runs = cliSync(['runs', '--db', db, '--json']);
  assert.is(runs.code, 0, runs.stderr);
  assert.not.match(runs.stdout, /"status":\s*"running"/);
});

test('bad store paths fail with one TW_ERR_STORE line and exit 3', () => {
  const dir = tempDir();
  const file = path.join(dir, 'plain-file');
  writeFileSync(file, 'not a directory');
  const under = cliSync(['runs', '--db', path.join(file, 'tickwork.db')]);
  assert.is(under.code, 3);
  assert.match(under.stderr, /^tickwork: cannot open store .*\[TW_ERR_STORE\]\n$/);

  const corrupt = path.join(dir, 'corrupt.db');
  writeFileSync(corrupt, Buffer.alloc(8192, 0x5a));
  const damaged = cliSync(['runs', '--db', corrupt]);
  assert.is(damaged.code, 3);
  assert.match(damaged.stderr, /TW_ERR_STORE/);
});

test('the server: a store it cannot write makes /healthz degraded and new runs 503, and both recover when the lock is gone', async () => {
  const dbPath = path.join(tempDir(), 'server-locked.db');
  const server = await startServer({ packs: PACKS, host: '127.0.0.1', port: 0, dbPath, token: undefined });
  try {
    const release = holdWriteLock(dbPath);
    try {
      const first = await http('POST', `${server.url}/api/runs`, { scenario: 'ledger', pace: 'turbo', seed: 1 });
      assert.is(first.status, 503);
      assert.is(first.body.error.code, 'TW_ERR_STORE');
      const health = await http('GET', `${server.url}/healthz`);
      assert.is(health.status, 503);
      assert.is(health.body.status, 'degraded');
      assert.match(health.body.store.error, /lock/);
      // Refused at once now, without waiting out the busy timeout again.
      const again = await http('POST', `${server.url}/api/runs`, { scenario: 'ledger', pace: 'turbo', seed: 1 });
      assert.is(again.status, 503);
      assert.is(again.body.error.code, 'TW_ERR_UNAVAILABLE');
    } finally {
      release();
    }
    const healed = await http('GET', `${server.url}/healthz`);
    assert.is(healed.status, 200);
    assert.is(healed.body.status, 'ok');
    const started = await http('POST', `${server.url}/api/runs`, { scenario: 'ledger', pace: 'turbo', seed: 1 });
    assert.is(started.status, 201, JSON.stringify(started.body));
    const done = await http('GET', `${server.url}/api/runs/${started.body.runId}/wait?timeoutS=60`);
    assert.is(done.body.data.status, 'completed');
  } finally {
    await server.close('test');
  }
});

test.run();
