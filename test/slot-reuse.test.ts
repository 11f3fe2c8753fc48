// A stopped actor's slot is reused, so a long run's memory follows its live actors; mail for the
// stopped actor becomes a dead letter, never reaching the slot's new occupant; and reuse is as
// deterministic as everything else (any worker count, a worker death and its replay).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { placeOfActor } from '../runtime/placement.js';
import { runIt, scenario } from './helpers.js';

const SPAWNS = 120;
const churn = scenario({
  pack: 'probe',
  tickMs: 100,
  partitions: 2,
  duration: { simMinutes: 3 },
  checkpointEveryMin: 0.5,
  // A churner in each partition: a mayfly every 0.7 s, each gone 500 ms after it starts. The
  // minute's checkpoint follows the first tick at or past 60 s, 60.1 s, when the mayfly of 59.5 s
  // has just stopped: the snapshot holds a free slot, which the replay must reuse as the run did.
  policies: {
    'probe.actors': [
      { kind: 'churner', args: { spawns: SPAWNS, everyMs: 700, lifeMs: 500 } },
      { kind: 'churner', args: { spawns: SPAWNS, everyMs: 700, lifeMs: 500 } },
    ],
  },
});

const spawnedIds = (events: { type: string; data?: unknown }[]) =>
  events.filter((e) => e.type === 'spawned').map((e) => (e.data as { id: number }).id);

test('a stopped actor slot is reused under a new id; its late mail is a dead letter, counted by kind', async () => {
  const { summary, events } = await runIt(churn, { seed: 3 });
  assert.is(summary.status, 'completed', summary.error);
  const ids = spawnedIds(events);
  assert.is(ids.length, 2 * SPAWNS);
  // Every actor ever spawned has its own id...
  assert.is(new Set(ids).size, ids.length);
  // ...while the mayflies share one slot per partition: memory follows the live actors.
  assert.is(new Set(ids.map(placeOfActor)).size, 2);
  // Every mayfly but each churner's last is written to after it has gone, and none of those
  // letters reached the mayfly that had its slot by then.
  assert.is(events.filter((e) => e.type === 'mayfly-got').length, 0);
  assert.is(summary.counters['runtime.dead_letters'], 2 * (SPAWNS - 1));
  assert.is(summary.counters['runtime.dead_letters.mayfly'], 2 * (SPAWNS - 1));
});

test('slot reuse is deterministic: the same digest with 0, 1 and 2 workers, and after a worker death', async () => {
  const inline = await runIt(churn, { seed: 4, workers: 0 });
  const one = await runIt(churn, { seed: 4, workers: 1 });
  const two = await runIt(churn, { seed: 4, workers: 2 });
  let killed = false;
  const recovered = await runIt(churn, { seed: 4, workers: 2 }, {}, (run) => {
    run.bus.on('tick', (e) => {
      // Past two checkpoints, so the replay starts from a snapshot with free slots in it.
      if (!killed && e.simMs >= 80_000) {
        killed = true;
        void run.killWorker(1);
      }
    });
  });
  assert.ok(killed);
  assert.is(recovered.summary.workerRecoveries, 1);
  for (const other of [one, two, recovered]) {
    assert.is(other.summary.status, 'completed', other.summary.error);
    assert.is(other.summary.digest, inline.summary.digest);
  }
  // (The recovered run's events repeat what its replay re-ran, so its ids are compared by digest.)
  for (const other of [one, two]) assert.equal(spawnedIds(other.events), spawnedIds(inline.events));
});

test.run();
