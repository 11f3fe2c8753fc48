// Supervision: each actor kind declares what happens when its behaviour throws.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PackCatalogue } from '../runtime/packs/pack-catalogue.js';
import { Store } from '../runtime/store/store.js';
import { probePack } from '../actors/probe/pack.js';
import { startServer } from '../server/server.js';
import { PACKS, http, runIt, scenario, tempDir, waitFor } from './helpers.js';

const crasherRun = (kind: string) =>
  runIt(
    scenario({
      pack: 'probe',
      tickMs: 100,
      partitions: 2,
      duration: { simMinutes: 1 },
      policies: { 'probe.actors': [{ kind }] },
    }),
    { workers: 1 },
    {},
    (run) => {
      run.submit({ kind: 'message', to: 0, body: 'a' });
      run.submit({ kind: 'message', to: 0, body: 'boom' });
      run.submit({ kind: 'message', to: 0, body: 'b' });
    },
  );

test('restart: the actor gets fresh state and keeps receiving', async () => {
  const { summary, events } = await crasherRun('crasher-restart');
  assert.is(summary.status, 'completed');
  assert.is(summary.actorFailures, 1);
  // 'a' counts 1, boom restarts from zero, 'b' counts 1 again.
  assert.equal(
    events.map((e) => (e.data as { count: number }).count),
    [1, 1],
  );
  assert.ok(events.every((e) => e.actorId === 0));
});

test('stop: the actor is removed and later mail is dead-lettered', async () => {
  const { summary, events } = await crasherRun('crasher-stop');
  assert.is(summary.status, 'completed');
  assert.is(summary.actorFailures, 1);
  assert.equal(
    events.map((e) => (e.data as { count: number }).count),
    [1],
  );
  assert.is(summary.counters['runtime.dead_letters'], 1);
});

test('escalate: the run fails, naming the actor', async () => {
  const { summary } = await crasherRun('crasher-escalate');
  assert.is(summary.status, 'failed');
  assert.not.ok(summary.passed);
  assert.match(summary.error ?? '', /actor 0 \(crasher-escalate\)/);
});

test('a hung actor fails the run at the tick watchdog, naming the actor and its kind; the pool serves the next run', async () => {
  const sc = scenario({
    pack: 'probe',
    tickMs: 100,
    partitions: 2,
    duration: { simMinutes: 1 },
    tickWatchdogSec: 0.5,
    policies: { 'probe.actors': [{ kind: 'recorder' }, { kind: 'spinner' }] },
  });
  const { summary } = await runIt(sc, { workers: 2 }, {}, (run) =>
    run.submit({ kind: 'message', to: 1, body: 'spin' }),
  );
  assert.is(summary.status, 'failed');
  assert.is(summary.passed, false);
  assert.match(
    summary.error ?? '',
    /ran past the 500 ms watchdog in worker 1: actor 1 \(kind spinner\) was being stepped/,
  );
  // The looping thread was ended, not handed to the next run.
  const next = await runIt(sc, { workers: 2 });
  assert.is(next.summary.status, 'completed');
});

test('a stuck tick: /healthz names the run, the inspector answers 503, shutdown ends the tick after the grace and leaves the run resumable', async () => {
  const dir = tempDir();
  // A catalogue whose probe pack has one scenario: a spinner under a watchdog far longer than the test.
  const hung = {
    name: 'hung',
    pack: 'probe',
    tickMs: 100,
    partitions: 2,
    duration: { simMinutes: 600 },
    checkpointEveryMin: 1,
    tickWatchdogSec: 3600,
    policies: { 'probe.actors': [{ kind: 'recorder' }, { kind: 'spinner' }] },
  };
  writeFileSync(path.join(dir, 'hung.json'), JSON.stringify(hung));
  const packs = new PackCatalogue([
    ...PACKS.all().filter((m) => m.name !== 'probe'),
    { ...probePack, contract: { ...probePack.contract, scenarios: { dir, default: 'hung' } } },
  ]);
  const dbPath = path.join(dir, 'hung.db');
  const server = await startServer({ packs, host: '127.0.0.1', port: 0, dbPath, token: undefined });
  try {
    const started = await http('POST', `${server.url}/api/runs`, {
      scenario: 'probe/hung',
      workers: 2,
      pace: 1,
      seed: 3,
    });
    assert.is(started.status, 201, JSON.stringify(started.body));
    const runId = started.body.runId as string;
    server.runs.get(runId)!.run.submit({ kind: 'message', to: 1, body: 'spin' });

    const health = await waitFor('/healthz to report the stuck run', async () => {
      const h = await http('GET', `${server.url}/healthz`);
      return h.body.stuckRuns ? h : undefined;
    });
    assert.is(health.status, 200);
    assert.is(health.body.status, 'degraded');
    assert.is(health.body.stuckRuns[0].runId, runId);

    const inspected = await http('GET', `${server.url}/api/runs/${runId}/actors/1`);
    assert.is(inspected.status, 503);
    assert.is(inspected.body.error.code, 'TW_ERR_UNAVAILABLE');
  } finally {
    await server.close('test');
  }
  // close() interrupted the run: past the grace its tick and workers were ended, not waited for.
  const store = new Store(dbPath);
  const [row] = store.listRuns(1);
  const checkpoint = store.latestCheckpoint(row.id);
  store.close();
  assert.is(row.status, 'interrupted');
  assert.ok(checkpoint, 'resumable from a checkpoint');
});

test.run();
