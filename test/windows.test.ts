// Windows of ticks between barriers (runtime/run/window-plan.ts, runtime/partition/lookahead.ts):
// with a lookahead, partitions run several ticks per dispatch and exchange mail at the window's
// end. The digest is the same for any window size, worker count and pace; a replay with other
// windows applies live inputs at their logged ticks; a send below its kind's lookahead fails the run.
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cliSync, lastJsonLine, runIt, scenario, tempDir } from './helpers.js';
import { Store } from '../runtime/store/store.js';
import { PACKS } from '../actors/index.js';

const PARTITIONS = 4;
const RELAYS = 8;

/** Relays in a ring across every partition (relay j in partition j % 4 passes to relay j + 1). */
function relayRing(lookaheadMs: number, extra: Record<string, unknown> = {}) {
  return scenario({
    pack: 'probe',
    tickMs: 100,
    partitions: PARTITIONS,
    duration: { simMinutes: 2 },
    policies: {
      'probe.lookaheadMs': lookaheadMs,
      'probe.actors': Array.from({ length: RELAYS }, (_, j) => ({
        kind: 'relay',
        args: { next: (j + 1) % RELAYS, hopMs: 1000, hops: 40 },
      })),
    },
    ...extra,
  });
}

const barriers = (s: { counters: Record<string, number> }) => s.counters['runtime.barriers'];

test('with a lookahead of 1 s (10 ticks) the digest is the same for windows of 1, 3 and 1000 ticks, 0, 1 and 2 workers, and paced', async () => {
  const sc = relayRing(1000);
  const one = await runIt(sc, { seed: 4, workers: 0, maxWindowTicks: 1 });
  assert.is(one.summary.status, 'completed');
  assert.ok(one.summary.messages > 300, `tokens and beats flowed (${one.summary.messages})`);
  assert.is(barriers(one.summary), one.summary.ticks, 'a window of one tick is a barrier per tick');
  const digests = [one.summary.digest];
  for (const [workers, maxWindowTicks] of [
    [0, 3],
    [0, 1000],
    [1, 1000],
    [2, 1000],
    [2, 1],
  ]) {
    const { summary } = await runIt(sc, { seed: 4, workers, maxWindowTicks });
    assert.is(summary.status, 'completed');
    assert.is(summary.ticks, one.summary.ticks, 'the same ticks ran');
    assert.is(summary.messages, one.summary.messages);
    assert.equal(summary.counters['probe.beats'], one.summary.counters['probe.beats']);
    digests.push(summary.digest);
  }
  const windowed = await runIt(sc, { seed: 4, workers: 2 });
  assert.ok(
    barriers(windowed.summary) * 3 < windowed.summary.ticks,
    `windows cut barriers: ${barriers(windowed.summary)} for ${windowed.summary.ticks} ticks`,
  );
  digests.push(windowed.summary.digest);
  digests.push((await runIt(sc, { seed: 4, workers: 2, pace: 600 })).summary.digest);
  assert.equal(new Set(digests).size, 1, `digests: ${digests.join(' ')}`);
  assert.is.not((await runIt(sc, { seed: 5, workers: 0 })).summary.digest, digests[0], 'the seed matters');
});

/** Probe actors over two partitions (actor j in partition j % 2), every kind declaring 500 ms. */
const twoPartitions = (actors: unknown[]) =>
  scenario({
    pack: 'probe',
    tickMs: 100,
    partitions: 2,
    duration: { simMinutes: 1 },
    policies: { 'probe.lookaheadMs': 500, 'probe.actors': actors },
  });

test('a send to another partition below the kind lookahead fails the run, naming the kind; the same send within a partition is fine', async () => {
  // Actor 1 (partition 1) sends to actor 0 (partition 0) with no delay, under the 500 ms declared.
  const crossing = twoPartitions([{ kind: 'recorder' }, { kind: 'sender', args: { to: 0, count: 1, delays: [0] } }]);
  for (const workers of [0, 2]) {
    const { summary } = await runIt(crossing, { seed: 1, workers });
    assert.is(summary.status, 'failed');
    assert.is(summary.errorCode, 'TW_ERR_LIMIT', `with ${workers} workers`);
    assert.match(summary.error ?? '', /kind 'sender'.*delay of 0 sim ms, under the 500 ms its kind declares/);
  }
  // Actor 2 lives in partition 0, beside its recipient: no lookahead applies.
  const local = twoPartitions([
    { kind: 'recorder' },
    { kind: 'recorder' },
    { kind: 'sender', args: { to: 0, count: 3 } },
  ]);
  const { summary, events } = await runIt(local, { seed: 1, workers: 0 });
  assert.is(summary.status, 'completed');
  assert.is(events.filter((e) => e.type === 'received').length, 3);
});

test('a live input lands on a window boundary and is logged there; a replay with windows of one tick gives the same digest', async () => {
  const store = new Store(path.join(tempDir(), 'windows.db'));
  const sc = relayRing(1000, { duration: { simMinutes: 3 } });
  const live = await runIt(sc, { seed: 6, workers: 2 }, { packs: PACKS, store }, (run) => {
    // Once the run is past its first minute, a policy change: it goes in at the next window's first tick.
    run.bus.on('tick', (e) => {
      if (e.simMs >= 60_000 && !submitted) {
        submitted = true;
        run.submit({ kind: 'policy', policies: { 'probe.lookaheadMs': 500 } });
      }
    });
  });
  assert.is(live.summary.status, 'completed');
  const logged = store.inputs(live.summary.runId);
  assert.is(logged.length, 1);
  assert.ok(logged[0].tickMs > 60_000, `applied at tick ${logged[0].tickMs}`);
  const replay = await runIt(
    sc,
    { seed: 6, workers: 0, maxWindowTicks: 1 },
    {
      packs: PACKS,
      mode: 'replay',
      inputs: logged.map((l) => ({ seq: l.seq, tickMs: l.tickMs, input: l.payload as never })),
    },
  );
  assert.is(replay.summary.digest, live.summary.digest);
  assert.ok(barriers(replay.summary) > barriers(live.summary), 'the replay really ran other windows');
  store.close();
});
let submitted = false;

test('CLI: a ledger with 5 s of least transit runs windows, says so, and replays with a barrier per tick to the same digest', () => {
  const db = path.join(tempDir(), 'cli-windows.db');
  const common = ['--seed', '3', '--duration', '10m', '--pace', 'turbo', '--db', db];
  const run = cliSync(['run', 'ledger', ...common, '--workers', '2', '--policy', 'transitMinMs=5000', '--json']);
  assert.is(run.code, 0, run.stderr);
  const s = JSON.parse(run.stdout);
  assert.is(s.windows.lookaheadMs, 5000);
  assert.ok(s.windows.barriers * 2 < s.ticks, JSON.stringify(s.windows));
  const replay = cliSync(['replay', s.runId, '--db', db, '--json', '--workers', '0', '--window-ticks', '1']);
  assert.is(replay.code, 0, replay.stderr);
  assert.is(lastJsonLine(replay.stdout).match, true);
  // People read the same in the summary.
  const human = cliSync(['run', 'ledger', ...common, '--policy', 'transitMinMs=5000']);
  assert.match(human.stdout, /windows lookahead 5s, at most 1,000 ticks per window: [\d,]+ barriers for [\d,]+ ticks/);
  const bad = cliSync(['run', 'ledger', ...common, '--window-ticks', '0']);
  assert.is(bad.code, 2);
});

test.run();
