// Nothing is lost: a worker thread that dies is replaced and its partitions replayed from the
// last checkpoint; a CLI process killed with SIGKILL resumes; SIGTERM checkpoints and exits 0.
import { test } from 'uvu';
import Database from 'better-sqlite3';
import { deserialize, serialize } from 'node:v8';
import { unseal, type SealedSnapshot } from '../runtime/partition/sealed-snapshot.js';
import { Store } from '../runtime/store/store.js';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import {
  runIt,
  smallLedger,
  cliSpawn,
  cliSync,
  lastJsonLine,
  tempDir,
  waitFor,
  hasPartitionCheckpoint,
  runIdOf,
} from './helpers.js';

test('a worker killed mid-run is replaced and the digest is unchanged', async () => {
  const sc = smallLedger({ duration: { simMinutes: 60 }, checkpointEveryMin: 10 });
  const clean = await runIt(sc, { seed: 21, workers: 2 });
  let killed = false;
  const { summary } = await runIt(sc, { seed: 21, workers: 2 }, {}, (run) => {
    run.bus.on('tick', (e) => {
      if (!killed && e.simMs >= 25 * 60_000) {
        killed = true;
        void run.killWorker(1);
      }
    });
  });
  assert.ok(killed);
  assert.is(summary.workerRecoveries, 1);
  assert.is(summary.status, 'completed');
  assert.is(summary.digest, clean.summary.digest);
});

const ledgerArgs = (db: string) => ['run', 'ledger', '--seed', '8', '--workers', '2', '--duration', '2h', '--db', db];

/** The digest of an uninterrupted ledger run, and the id of the same run SIGKILLed mid-way in `db`. */
async function killedMidRun(db: string): Promise<{ expected: string; runId: string }> {
  const reference = cliSync([...ledgerArgs(db), '--pace', 'turbo', '--json']);
  assert.is(reference.code, 0, reference.stderr);
  const expected = lastJsonLine(reference.stdout).digest as string;
  // Paced so that it is mid-run (past its first hourly checkpoint) when killed.
  const child = cliSpawn([...ledgerArgs(db), '--pace', '1500', '--json']);
  const runId = await runIdOf(child);
  await waitFor('the first periodic checkpoint', () => hasPartitionCheckpoint(db, runId));
  child.kill('SIGKILL');
  await once(child, 'exit');
  return { expected, runId };
}

test('resume after SIGKILL of the CLI ends with the digest of an uninterrupted run', async () => {
  const db = path.join(tempDir(), 'kill.db');
  const { expected, runId } = await killedMidRun(db);

  // The killed process could not mark its run; the next process to open the store does.
  const store = new Store(db);
  const row = store.getRun(runId)!;
  store.close();
  assert.is(row.status, 'interrupted');
  assert.match(row.error ?? '', `resume it with: tickwork resume ${runId}`);

  const resumed = cliSync(['resume', runId, '--db', db, '--json']);
  assert.is(resumed.code, 0, resumed.stderr);
  const summary = lastJsonLine(resumed.stdout);
  assert.is(summary.runId, runId);
  assert.is(summary.status, 'completed');
  assert.is(summary.digest, expected);
});

test('a checkpoint written before snapshots were sealed (plain objects) still resumes to the same digest', async () => {
  const db = path.join(tempDir(), 'old-checkpoint.db');
  const { expected, runId } = await killedMidRun(db);

  // Rewrite every stored checkpoint of the run the way the store wrote them before sealing.
  const file = new Database(db);
  const rows = file
    .prepare('SELECT tick_ms, partitions FROM run_checkpoints WHERE run_id = ? AND partitions IS NOT NULL')
    .all(runId) as { tick_ms: number; partitions: Buffer }[];
  assert.ok(rows.length > 0, 'the killed run left a checkpoint with partitions');
  for (const row of rows) {
    const sealed = deserialize(row.partitions) as SealedSnapshot[];
    assert.ok(
      sealed.every((s) => s.bytes instanceof Uint8Array),
      'stored sealed',
    );
    file
      .prepare('UPDATE run_checkpoints SET partitions = ? WHERE run_id = ? AND tick_ms = ?')
      .run(serialize(sealed.map(unseal)), runId, row.tick_ms);
  }
  file.close();

  const resumed = cliSync(['resume', runId, '--db', db, '--json']);
  assert.is(resumed.code, 0, resumed.stderr);
  assert.is(lastJsonLine(resumed.stdout).digest, expected);
});

test('resume refuses a run whose process is still alive', () => {
  const db = path.join(tempDir(), 'live.db');
  const store = new Store(db);
  // Owned by this test process, which is alive.
  store.createRun({
    id: 'live-run',
    scenario: 'ledger',
    pack: 'ledger',
    seed: 1,
    scenario_json: JSON.stringify(smallLedger()),
    options_json: '{}',
  });
  store.close();
  const resumed = cliSync(['resume', 'live-run', '--db', db]);
  assert.is(resumed.code, 2, resumed.stderr);
  assert.match(resumed.stderr, /run live-run is running in process .*:\d+; stop it first/);
  const reopened = new Store(db);
  assert.is(reopened.getRun('live-run')?.status, 'running', 'a live owner is not marked interrupted');
  reopened.close();
});

test('SIGTERM finishes the tick, checkpoints, marks the run interrupted and exits 0; resume completes it', async () => {
  const db = path.join(tempDir(), 'term.db');
  const child = cliSpawn([...ledgerArgs(db), '--pace', '1500', '--json']);
  const runId = await runIdOf(child);
  await waitFor('the first periodic checkpoint', () => hasPartitionCheckpoint(db, runId));
  const sentAt = performance.now();
  child.kill('SIGTERM');
  let stdout = '';
  child.stdout!.on('data', (d) => (stdout += d));
  const [code] = await once(child, 'exit');
  assert.is(code, 0);
  assert.ok(performance.now() - sentAt < 5000, 'exits within 5 s');
  const interrupted = lastJsonLine(
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .join('\n'),
  );
  assert.is(interrupted.status, 'interrupted');
  assert.is(interrupted.passed, false, 'not judged yet: never listed as passed');
  assert.ok(interrupted.simTimeMs > 0 && interrupted.simTimeMs < 2 * 3_600_000);

  const resumed = cliSync(['resume', runId, '--db', db, '--json']);
  assert.is(resumed.code, 0, resumed.stderr);
  const done = lastJsonLine(resumed.stdout);
  assert.is(done.status, 'completed');
  const reference = cliSync([...ledgerArgs(db), '--pace', 'turbo', '--json']);
  assert.is(done.digest, lastJsonLine(reference.stdout).digest);
  // A completed run does not resume again.
  const again = cliSync(['resume', runId, '--db', db]);
  assert.is(again.code, 2);
  assert.match(again.stderr, /only interrupted or killed runs resume/);
});

test('SIGTERM during a tick that never ends: past the interrupt grace its workers are ended, the run is marked interrupted and the process exits 0', async () => {
  const dir = tempDir();
  const db = path.join(dir, 'hung.db');
  const hung = path.join(dir, 'hung.json');
  // An actor that loops forever from sim 1:00.5, a few ticks after the first periodic checkpoint.
  writeFileSync(
    hung,
    JSON.stringify({
      name: 'hung',
      pack: 'probe',
      tickMs: 100,
      partitions: 2,
      duration: { simMinutes: 60 },
      checkpointEveryMin: 1,
      tickWatchdogSec: 3600,
      policies: {
        'probe.actors': [
          // Ticks at sim 1:00 (a periodic checkpoint follows it), 1:00.1 and 1:00.2; idle ticks are skipped.
          { kind: 'sleeper', args: { times: [30_000, 60_000, 60_100, 60_200] } },
          { kind: 'spinner', args: { spinAtMs: 60_500 } },
        ],
      },
    }),
  );
  // At warn, whatever TICKWORK_LOG_LEVEL the suite runs with (CI: silent): the grace's log line is asserted.
  const child = cliSpawn(['run', hung, '--workers', '2', '--pace', 'turbo', '--json', '--db', db], {
    TICKWORK_LOG_LEVEL: 'warn',
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const runId = await runIdOf(child);
  // The endless tick is in flight once a thread of the process has spent 2 s of CPU (startup
  // takes a fraction of that per thread): Linux's per-thread utime + stime, in clock ticks.
  const exited = once(child, 'exit');
  const spinning = () =>
    readdirSync(`/proc/${child.pid}/task`).some((tid) => {
      const stat = readFileSync(`/proc/${child.pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[11]) + Number(fields[12]) >= 200;
    });
  try {
    await waitFor('the checkpoint at sim minute 1', () => hasPartitionCheckpoint(db, runId));
    await waitFor('a thread spinning in the endless tick', spinning);
  } catch (err) {
    child.kill('SIGKILL'); // a looping process must not outlive a failed test
    throw err;
  }
  child.kill('SIGTERM');
  const [code] = await exited;
  assert.is(code, 0, stderr);
  assert.match(stderr, /the tick in flight outlived the interrupt grace; its workers were ended/);
  assert.is(lastJsonLine(stdout).status, 'interrupted');
  const file = new Database(db, { readonly: true });
  const row = file.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as { status: string };
  file.close();
  assert.is(row.status, 'interrupted');
});

test('a run killed the instant its id is printed has a row, and resumes to the digest of an uninterrupted run', async () => {
  const db = path.join(tempDir(), 'early.db');
  const reference = cliSync([...ledgerArgs(db), '--pace', 'turbo', '--json']);
  const child = cliSpawn([...ledgerArgs(db), '--pace', 'turbo', '--json']);
  const runId = await runIdOf(child);
  child.kill('SIGKILL');
  await once(child, 'exit');
  const resumed = cliSync(['resume', runId, '--db', db, '--json']);
  assert.is(resumed.code, 0, resumed.stderr);
  assert.is(lastJsonLine(resumed.stdout).digest, lastJsonLine(reference.stdout).digest);
});

test('a second signal exits 130 at once and leaves the run interrupted, not running', async () => {
  const db = path.join(tempDir(), 'twice.db');
  const child = cliSpawn([...ledgerArgs(db), '--pace', '1500', '--json']);
  const runId = await runIdOf(child);
  await waitFor('the first periodic checkpoint', () => hasPartitionCheckpoint(db, runId));
  // Two different signals: two of the same may be merged by the kernel into one delivery.
  child.kill('SIGINT');
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  assert.is(code, 130);
  const file = new Database(db, { readonly: true });
  const row = file.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as { status: string };
  file.close();
  assert.is(row.status, 'interrupted');
  const resumed = cliSync(['resume', runId, '--db', db, '--json']);
  assert.is(resumed.code, 0, resumed.stderr);
  assert.is(lastJsonLine(resumed.stdout).status, 'completed');
});

test("a run whose dead owner's pid now belongs to another process is free: the pid's start time differs", async () => {
  const db = path.join(tempDir(), 'recycled-seen.db');
  const { expected, runId } = await killedMidRun(db);
  // The killed owner's pid, recycled: a live process started after the owner.
  const stranger = spawn('sleep', ['300'], { stdio: 'ignore' });
  try {
    const file = new Database(db);
    file
      .prepare("UPDATE runs SET status = 'running', owner = ? WHERE id = ?")
      .run(`${hostname()}:${stranger.pid}`, runId);
    file.close();
    const resumed = cliSync(['resume', runId, '--db', db, '--json']);
    assert.is(resumed.code, 0, resumed.stderr);
    assert.is(lastJsonLine(resumed.stdout).digest, expected);
  } finally {
    stranger.kill();
  }
});

test("resume --force takes over a run from before leases whose dead owner's pid now belongs to another program, and only then", async () => {
  const db = path.join(tempDir(), 'recycled.db');
  const { expected, runId } = await killedMidRun(db);
  // The killed owner's pid, recycled: a live process that is not tickwork; the row as an older
  // tickwork wrote it (a pid and nothing else to tell the processes apart).
  const stranger = spawn('sleep', ['300'], { stdio: 'ignore' });
  try {
    const file = new Database(db);
    file
      .prepare(
        "UPDATE runs SET status = 'running', owner = ?, owner_token = NULL, owner_proc = NULL, lease_until = NULL WHERE id = ?",
      )
      .run(`${hostname()}:${stranger.pid}`, runId);
    file.close();
    const refused = cliSync(['resume', runId, '--db', db]);
    assert.is(refused.code, 2);
    assert.match(refused.stderr, /add --force if that pid now belongs to another program/);
    const forced = cliSync(['resume', runId, '--force', '--db', db, '--json']);
    assert.is(forced.code, 0, forced.stderr);
    assert.is(lastJsonLine(forced.stdout).digest, expected);
  } finally {
    stranger.kill();
  }
});

test('resume --force still refuses a run owned by a live tickwork process', async () => {
  const db = path.join(tempDir(), 'owned.db');
  const child = cliSpawn([...ledgerArgs(db), '--pace', '1500', '--json']);
  try {
    const runId = await runIdOf(child);
    const forced = cliSync(['resume', runId, '--force', '--db', db]);
    assert.is(forced.code, 2);
    assert.match(forced.stderr, /it is a tickwork process: stop it first/);
  } finally {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
});

test.run();
