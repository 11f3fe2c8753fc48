// Worker deaths within the recovery budget never change a run's result: one, two or all workers
// killed at once, at random ticks, on a checkpoint tick, and again while the run is recovering.
// Past the budget the run ends failed with TW_ERR_WORKER_LOST. The kill ticks are drawn from a
// fixed seed and named in each test, so a failure reproduces.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { Run } from '../runtime/run/run.js';
import { runIt, smallLedger } from './helpers.js';

const sc = smallLedger({ duration: { simMinutes: 60 }, checkpointEveryMin: 10 });
const SEED = 21;
const MINUTE = 60_000;

const clean = new Map<number, string>();
async function cleanDigest(workers: number): Promise<string> {
  if (!clean.has(workers)) clean.set(workers, (await runIt(sc, { seed: SEED, workers })).summary.digest);
  return clean.get(workers)!;
}

const rng = xoroshiro128plus(20261201);
/** A sim minute in [from, to], drawn from the test's fixed stream. */
function randomMinute(from: number, to: number): number {
  return uniformInt(rng, from, to);
}

/** Kill `slots` once the run reaches sim minute `atMin`; `then` runs after those threads are gone. */
function killAt(run: Run, atMin: number, slots: number[], then?: () => void) {
  const kills = { done: false };
  run.bus.on('tick', (e) => {
    if (kills.done || e.simMs < atMin * MINUTE) return;
    kills.done = true;
    void Promise.all(slots.map((s) => run.killWorker(s))).then(then);
  });
  return kills;
}

for (const { name, workers, slots } of [
  { name: 'one worker', workers: 2, slots: [1] },
  { name: 'two workers at once', workers: 2, slots: [0, 1] },
  { name: 'all three workers at once', workers: 3, slots: [0, 1, 2] },
]) {
  const atMin = randomMinute(1, 58);
  test(`${name} killed at sim minute ${atMin}: recovered, same digest`, async () => {
    let kills!: { done: boolean };
    const { summary } = await runIt(sc, { seed: SEED, workers }, {}, (run) => (kills = killAt(run, atMin, slots)));
    assert.ok(kills.done, 'the kill never happened');
    assert.is(summary.status, 'completed', summary.error);
    assert.ok(
      summary.workerRecoveries >= 1 && summary.workerRecoveries <= slots.length,
      `recoveries ${summary.workerRecoveries}`,
    );
    assert.is(summary.digest, await cleanDigest(workers));
  });
}

test('a worker killed on a checkpoint tick (mid-snapshot): recovered, same digest', async () => {
  let kills!: { done: boolean };
  const { summary } = await runIt(sc, { seed: SEED, workers: 2 }, {}, (run) => (kills = killAt(run, 30, [0])));
  assert.ok(kills.done);
  assert.is(summary.status, 'completed', summary.error);
  assert.is(summary.digest, await cleanDigest(2));
});

test('a second worker killed while the run recovers from the first: recovered, same digest', async () => {
  const atMin = randomMinute(11, 58);
  let kills!: { done: boolean };
  let second: Promise<void> | undefined;
  const { summary } = await runIt(sc, { seed: SEED, workers: 2 }, {}, (run) => {
    // The first death is noticed by the tick in flight; the second lands during the restore's load.
    kills = killAt(run, atMin, [0], () => (second = run.killWorker(1)));
  });
  assert.ok(kills.done);
  await second;
  assert.is(summary.status, 'completed', summary.error);
  assert.is(summary.workerRecoveries, 2, `recoveries at minute ${atMin}`);
  assert.is(summary.digest, await cleanDigest(2));
});

test('deaths past the recovery budget end the run failed with TW_ERR_WORKER_LOST, not wedged', async () => {
  let deaths = 0;
  const { summary } = await runIt(sc, { seed: SEED, workers: 2 }, {}, (run) => {
    // Each tick after a restore loses a worker again: the budget (5) runs out.
    run.bus.on('tick', () => {
      if (deaths++ < 10) void run.killWorker(deaths % 2).catch(() => undefined);
    });
  });
  assert.is(summary.status, 'failed');
  assert.match(summary.error ?? '', /^TW_ERR_WORKER_LOST: .*gave up after 5 recoveries/);
  assert.is(summary.workerRecoveries, 6);
});

test.run();
