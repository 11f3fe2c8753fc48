// Effects: actors ask for HTTP calls; the runtime performs them outside the tick against a real
// server on loopback that answers slowly and sometimes fails; results come back as inputs and are
// recorded, and a replay reproduces the run without calling the server.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { PACKS, runIt, scenario, tempDir } from './helpers.js';
import { Store } from '../runtime/store/store.js';
import { parseScenario } from '../runtime/scenario/scenario-loader.js';

test('effect results (ok, failed, slow) come back as inputs, are logged, and replay without side effects', async () => {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    const n = Number(new URL(req.url!, 'http://x').searchParams.get('n'));
    // Every third call fails, the others answer after a delay that varies.
    setTimeout(
      () => {
        res.writeHead(n % 3 === 2 ? 503 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ n }));
      },
      5 + (n % 4) * 15,
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/svc`;
  try {
    const sc = scenario({
      pack: 'probe',
      tickMs: 100,
      partitions: 2,
      duration: { simMinutes: 2 },
      policies: { 'probe.actors': [{ kind: 'effect-caller', args: { url, calls: 6, everyMs: 1000 } }] },
    });
    const store = new Store(path.join(tempDir(), 'effects.db'));
    const live = await runIt(sc, { workers: 1 }, { store, packs: PACKS });
    // Results arrive in completion order (slow answers later); effect ids say which call each answers.
    const results = live.events
      .filter((e) => e.type === 'effect-result')
      .map((e) => e.data as { effectId: string; ok: boolean; value: any })
      .sort((a, b) => Number(a.effectId.split(':')[1]) - Number(b.effectId.split(':')[1]));
    assert.is(results.length, 6);
    assert.is(hits, 6);
    assert.equal(
      results.map((r) => r.ok),
      [true, true, false, true, true, false],
    );
    assert.is(results[0].value.status, 200);
    // A failed call carries what the actor needs: status, headers and body.
    assert.equal(results[2].value, {
      error: 'http_status',
      status: 503,
      headers: results[2].value.headers,
      body: { n: 2 },
    });
    assert.is(results[2].value.headers['content-type'], 'application/json');

    const logged = store.inputs(live.summary.runId);
    assert.is(logged.filter((i) => i.kind === 'effect-result').length, 6);

    const replay = await runIt(
      sc,
      { workers: 2 },
      {
        packs: PACKS,
        mode: 'replay',
        inputs: logged.map((l) => ({ seq: l.seq, tickMs: l.tickMs, input: l.payload as never })),
      },
    );
    assert.is(hits, 6, 'replay performed no effect');
    assert.is(replay.summary.digest, live.summary.digest);
    store.close();
  } finally {
    server.close();
  }
});

test('an effect that outlives its timeout comes back as a timeout error', async () => {
  const { EffectRunner } = await import('../runtime/effects/effect-runner.js');
  const server = http.createServer((_req, res) => setTimeout(() => res.end('late'), 500));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const outcomes: { ok: boolean; value: any; elapsedMs: number }[] = [];
  const runner = new EffectRunner({ concurrency: 2, timeoutMs: 50, maxQueued: 10 }, (o) => outcomes.push(o));
  runner.submit({ effectId: '1:0', actorId: 1, kind: 'http', request: { url } });
  await runner.next();
  server.closeAllConnections();
  server.close();
  const [{ elapsedMs, ...outcome }] = outcomes;
  assert.equal(outcome, { effectId: '1:0', actorId: 1, ok: false, value: { error: 'timeout' } });
  // Its wall time is measured, as a metric.
  assert.ok(elapsedMs >= 45, `elapsed ${elapsedMs} ms`);
});

test('an HTTP effect to a closed port fails as refused', async () => {
  const { EffectRunner } = await import('../runtime/effects/effect-runner.js');
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  await new Promise<void>((r) => server.close(() => r()));
  const outcomes: { ok: boolean; value: any }[] = [];
  const runner = new EffectRunner({ concurrency: 1, timeoutMs: 5000, maxQueued: 10 }, (o) => outcomes.push(o));
  runner.submit({ effectId: '1:0', actorId: 1, kind: 'http', request: { url } });
  await runner.next();
  assert.is(outcomes[0].ok, false);
  assert.is(outcomes[0].value.error, 'refused');
  assert.is(outcomes[0].value.code, 'ECONNREFUSED');
});

test("a pack's own effect kind is performed by its handler in a run; its failure value reaches the actor", async () => {
  const { EffectFailure } = await import('../runtime/effects/effect-failure.js');
  const { PackCatalogue } = await import('../runtime/packs/pack-catalogue.js');
  const published: unknown[] = [];
  const publish = async (request: unknown) => {
    const { n } = request as { n: number };
    if (n === 1) throw new EffectFailure({ error: 'rejected', reason: 'no stream' });
    published.push(request);
    return { seq: published.length };
  };
  const packs = new PackCatalogue([{ ...PACKS.get('probe'), io: { effects: { publish } } }]);
  const sc = parseScenario(packs, {
    name: 'publish',
    pack: 'probe',
    tickMs: 100,
    partitions: 1,
    duration: { simMinutes: 1 },
    policies: {
      'probe.actors': [{ kind: 'effect-caller', args: { url: '', effect: 'publish', calls: 3, everyMs: 1000 } }],
    },
  });
  const { events } = await runIt(sc, { workers: 0 }, { packs });
  const results = events
    .filter((e) => e.type === 'effect-result')
    .map((e) => e.data as { ok: boolean; value: unknown });
  assert.equal(
    results.map((r) => [r.ok, r.value]),
    [
      [true, { seq: 1 }],
      [false, { error: 'rejected', reason: 'no stream' }],
      [true, { seq: 2 }],
    ],
  );
  assert.equal(published, [{ n: 0 }, { n: 2 }]);
});

test.run();
