// Input sources: a pack's long-lived feed (a JetStream consumer, say) starts with a live run and
// stops when it ends; each input it submits is acknowledged only once it is in the store's input
// log, and reaches its actor. A replay reads the same inputs from the log, with no source running.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PackCatalogue } from '../runtime/packs/pack-catalogue.js';
import type { InputSource, SourceContext } from '../runtime/packs/pack-io.js';
import { parseScenario } from '../runtime/scenario/scenario-loader.js';
import { Store } from '../runtime/store/store.js';
import { PACKS, runIt, tempDir } from './helpers.js';

test('a source starts with the run, each submit resolves once the input is durably logged, and the source stops at the end', async () => {
  const db = path.join(tempDir(), 'sources.db');
  const store = new Store(db);
  const reader = new Database(db, { readonly: true });
  const acked: { seq: number; inStore: boolean }[] = [];
  const lifecycle: string[] = [];
  let context: SourceContext | undefined;

  const feed = (run: SourceContext): InputSource => ({
    name: 'feed',
    start() {
      lifecycle.push('start');
      context = run;
      for (let k = 0; k < 5; k++) {
        void run.submit({ kind: 'message', to: 0, body: { k } }).then((logged) => {
          // Acknowledge upstream only now: the row must already be in the file.
          const row = reader
            .prepare('SELECT 1 FROM run_inputs WHERE run_id = ? AND seq = ?')
            .get(run.runId, logged.seq);
          acked.push({ seq: logged.seq, inStore: row !== undefined });
        });
      }
    },
    stop() {
      lifecycle.push('stop');
    },
  });
  const packs = new PackCatalogue([{ ...PACKS.get('probe'), io: { sources: (run) => [feed(run)] } }]);
  const sc = parseScenario(packs, {
    name: 'fed',
    pack: 'probe',
    tickMs: 1000,
    partitions: 1,
    duration: { simMinutes: 1 },
    policies: { 'probe.actors': [{ kind: 'recorder' }] },
  });
  // Paced, so the run is alive while the source feeds it (60 sim s in 0.1 s).
  const { summary, events } = await runIt(sc, { workers: 0, pace: 600 }, { packs, store });

  assert.equal(lifecycle, ['start', 'stop']);
  assert.equal(
    acked.map((a) => a.inStore),
    [true, true, true, true, true],
  );
  assert.equal(
    events.filter((e) => e.type === 'received').map((e) => (e.data as { body: { k: number } }).body.k),
    [0, 1, 2, 3, 4],
  );
  assert.is(store.inputs(summary.runId).filter((i) => i.kind === 'message').length, 5);

  // After the run, a submit is refused rather than silently lost.
  const late = await context!.submit({ kind: 'message', to: 0, body: 'late' }).then(
    () => 'accepted',
    (err: Error) => err.message,
  );
  assert.match(late, /is completed/);

  // The replay runs no source and reads the five inputs from the log.
  lifecycle.length = 0;
  const inputs = store.inputs(summary.runId).map((r) => ({ seq: r.seq, tickMs: r.tickMs, input: r.payload as never }));
  const replay = await runIt(sc, { workers: 1, pace: 'turbo' }, { packs, mode: 'replay', inputs });
  assert.equal(lifecycle, []);
  assert.is(replay.summary.digest, summary.digest);
  reader.close();
  store.close();
});

test('an outside message addressed by name reaches the actor the pack resolves it to, whatever the worker count', async () => {
  const { partitionOfName } = await import('../runtime/placement.js');
  // Probe actor j lives in partition j % 4 with id j: the recorder with id p is partition p's router.
  const packs = new PackCatalogue([
    { ...PACKS.get('probe'), io: { resolveName: (name, partitions) => partitionOfName(name, partitions) } },
  ]);
  const recorders = Array.from({ length: 4 }, () => ({ kind: 'recorder' }));
  const sc = parseScenario(packs, {
    name: 'named',
    pack: 'probe',
    tickMs: 1000,
    partitions: 4,
    duration: { simMinutes: 1 },
    policies: { 'probe.actors': recorders },
  });
  const names = ['intent-1', 'intent-2', 'intent-3', 'order-77', 'order-78', 'z'];
  const runs = [];
  for (const workers of [0, 2]) {
    runs.push(
      await runIt(sc, { workers }, { packs }, (run) => {
        for (const name of names) run.submit({ kind: 'message', to: { name }, body: name });
      }),
    );
  }
  const byActor = runs[0].events
    .filter((e) => e.type === 'received')
    .map((e) => [(e.data as { body: string }).body, e.actorId]);
  assert.equal(
    byActor,
    names.map((n) => [n, partitionOfName(n, 4)]).sort((x, y) => (x[1] as number) - (y[1] as number)),
  );
  assert.ok(new Set(byActor.map(([, id]) => id)).size > 1, 'names spread over partitions');
  assert.is(runs[1].summary.digest, runs[0].summary.digest);

  // A pack that resolves no names refuses the input at once, naming the field.
  const plain = await runIt(parseScenario(PACKS, { ...sc, name: 'plain' }), { workers: 0 }, {}, (run) => {
    assert.throws(() => run.submit({ kind: 'message', to: { name: 'x' }, body: 1 }), /does not address actors by name/);
  });
  assert.is(plain.summary.status, 'completed');
});

test("a source hears each tick's end after that tick's events and before its checkpoint is in the store", async () => {
  const db = path.join(tempDir(), 'tick-end.db');
  const store = new Store(db);
  const reader = new Database(db, { readonly: true });
  const heard: string[] = [];
  let checkpointAhead = 0;
  const periodicCheckpoints = new Set<number>();
  const feed = (run: SourceContext): InputSource => ({
    name: 'feed',
    start() {
      run.onEvent((e) => heard.push(`event@${e.simMs}`));
      run.onTickEnd((simMs) => {
        heard.push(`end@${simMs}`);
        // (The start-of-run checkpoint, labelled tick 0, precedes every tick: not this tick's.)
        const row = reader
          .prepare('SELECT 1 FROM run_checkpoints WHERE run_id = ? AND tick_ms >= ? AND tick_ms > 0')
          .get(run.runId, simMs);
        if (row !== undefined) checkpointAhead++;
        const written = reader
          .prepare('SELECT tick_ms FROM run_checkpoints WHERE run_id = ? AND tick_ms > 0')
          .all(run.runId) as { tick_ms: number }[];
        for (const w of written) periodicCheckpoints.add(w.tick_ms);
      });
      for (let k = 0; k < 20; k++) void run.submit({ kind: 'message', to: 0, body: { k } });
    },
    stop() {},
  });
  const packs = new PackCatalogue([{ ...PACKS.get('probe'), io: { sources: (run) => [feed(run)] } }]);
  const sc = parseScenario(packs, {
    name: 'tick-ends',
    pack: 'probe',
    tickMs: 1000,
    partitions: 1,
    // A checkpoint every sim minute: several fall inside the run.
    checkpointEveryMin: 1,
    duration: { simMinutes: 5 },
    // A sleeper emits at every half sim minute, so events fall in ticks that checkpoint.
    policies: {
      'probe.actors': [
        { kind: 'recorder' },
        { kind: 'sleeper', args: { times: Array.from({ length: 10 }, (_, i) => (i + 1) * 30_000) } },
      ],
    },
  });
  const { summary } = await runIt(sc, { workers: 1, pace: 'turbo' }, { packs, store });
  assert.is(summary.status, 'completed');
  assert.is(heard.filter((h) => h.startsWith('event@')).length, 20 + 10);
  assert.is(heard.filter((h) => h.startsWith('end@')).length, summary.ticks);
  // Every event is followed by its own tick's end before anything of a later tick.
  heard.forEach((h, i) => {
    if (!h.startsWith('event@')) return;
    const t = h.slice('event@'.length);
    const next = heard.slice(i + 1).find((x) => x.startsWith('end@'));
    assert.is(next, `end@${t}`, `${h} is followed by its tick's end`);
  });
  assert.is(checkpointAhead, 0, "no tick's checkpoint was in the store when the source heard that tick end");
  assert.ok(periodicCheckpoints.size >= 4, 'the run wrote periodic checkpoints while the source listened');
  reader.close();
  store.close();
});

test.run();
