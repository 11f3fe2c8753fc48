// Input sources: a pack's long-lived feed (a JetStream consumer, say) starts with a live run and
// stops when it ends; each input it submits is acknowledged only once it is in the store's input
// log, and reaches its actor. A replay reads the same inputs from the log, with no source running.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PackCatalogue } from '../runtime/packs/pack-catalogue.js';
import type { InputSource, SourceContext } from '../runtime/packs/pack-module.js';
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
          const row = reader.prepare('SELECT 1 FROM run_inputs WHERE run_id = ? AND seq = ?').get(run.runId, logged.seq);
          acked.push({ seq: logged.seq, inStore: row !== undefined });
        });
      }
    },
    stop() {
      lifecycle.push('stop');
    },
  });
  const packs = new PackCatalogue([{ ...PACKS.get('probe'), sources: (run) => [feed(run)] }]);
  const sc = parseScenario(packs, { name: 'fed', pack: 'probe', tickMs: 1000, partitions: 1, duration: { simMinutes: 1 }, policies: { 'probe.actors': [{ kind: 'recorder' }] } });
  // Paced, so the run is alive while the source feeds it (60 sim s in 0.1 s).
  const { summary, events } = await runIt(sc, { workers: 0, pace: 600 }, { packs, store });

  assert.equal(lifecycle, ['start', 'stop']);
  assert.equal(acked.map((a) => a.inStore), [true, true, true, true, true]);
  assert.equal(events.filter((e) => e.type === 'received').map((e) => (e.data as { body: { k: number } }).body.k), [0, 1, 2, 3, 4]);
  assert.is(store.inputs(summary.runId).filter((i) => i.kind === 'message').length, 5);

  // After the run, a submit is refused rather than silently lost.
  const late = await context!.submit({ kind: 'message', to: 0, body: 'late' }).then(() => 'accepted', (err: Error) => err.message);
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

test.run();
