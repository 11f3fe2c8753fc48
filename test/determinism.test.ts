// A run is a pure function of (scenario, seed, input log): same digest with 0, 1, 2 or 4
// workers, in turbo or paced mode.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runIt, scenario, smallLedger } from './helpers.js';
import { PACKS } from '../actors/index.js';

test('ledger: same seed gives the same digest and message count with 0, 1, 2 and 4 workers', async () => {
  const sc = smallLedger();
  const digests: string[] = [];
  const messages: number[] = [];
  for (const workers of [0, 1, 2, 4]) {
    const { summary } = await runIt(sc, { seed: 11, workers });
    assert.is(summary.status, 'completed');
    assert.ok(summary.messages > 1000, 'transfers flowed');
    digests.push(summary.digest);
    // Mail between partitions of one host never reaches the scheduler; it must still be counted.
    messages.push(summary.messages);
  }
  assert.equal(new Set(digests).size, 1, `digests: ${digests.join(' ')}`);
  assert.equal(new Set(messages).size, 1, `messages: ${messages.join(' ')}`);
});

test('ledger with a least transit time: windows of 1 tick and of its lookahead give the same digest with 0 and 2 workers', async () => {
  // Ticks of 100 ms and transit of at least 1 s: windows of up to 10 ticks.
  const sc = smallLedger({
    tickMs: 100,
    duration: { simMinutes: 20 },
    policies: {
      accounts: 400,
      initialBalance: 1000,
      maxTransfer: 100,
      transferEveryMs: 20_000,
      transitMinMs: 1000,
      transitMaxMs: 5000,
    },
  });
  const runs = [];
  for (const [workers, maxWindowTicks] of [
    [0, 1],
    [0, 1000],
    [2, 1000],
    [2, 1],
  ])
    runs.push((await runIt(sc, { seed: 12, workers, maxWindowTicks })).summary);
  assert.equal(new Set(runs.map((s) => s.digest)).size, 1, runs.map((s) => s.digest).join(' '));
  assert.ok(runs[1].counters['runtime.barriers'] * 3 < runs[0].counters['runtime.barriers'], 'windows ran');
  assert.ok(runs[1].passed, 'money is conserved across windows');
});

test('ledger: turbo and paced runs give the same digest', async () => {
  const sc = smallLedger({ duration: { simMinutes: 20 } });
  const turbo = await runIt(sc, { seed: 5, workers: 2, pace: 'turbo' });
  // 20 sim minutes at 2400x is about half a second of wall time, with real sleeps between ticks.
  const paced = await runIt(sc, { seed: 5, workers: 2, pace: 2400 });
  assert.is(paced.summary.digest, turbo.summary.digest);
  assert.ok(paced.summary.metrics['runtime.drift_ms'], 'paced run records drift');
  assert.not.ok(turbo.summary.metrics['runtime.drift_ms'], 'turbo run has no drift to record');
});

test('ledger: a different seed gives a different digest', async () => {
  const sc = smallLedger({ duration: { simMinutes: 10 } });
  const a = await runIt(sc, { seed: 1 });
  const b = await runIt(sc, { seed: 2 });
  assert.is.not(a.summary.digest, b.summary.digest);
});

test('ledger: conservation invariants hold and are judged', async () => {
  const { summary } = await runIt(smallLedger(), { seed: 3, workers: 2 });
  assert.ok(summary.passed);
  const verdicts = Object.fromEntries(summary.invariants.map((i) => [i.id, i.verdict]));
  assert.equal(verdicts, { total: 'pass', nonneg: 'pass' });
  assert.is(summary.gauges['ledger.balance_total'], 400_000);
});

// Every pack, not only the ledger: same digest with 0, 1 and 2 workers, paced, and with windows of
// one tick. SimCity's own
// case (0/1/2 workers and paced on a shortened baseline) is in simcity.test.ts.
const OTHER_PACKS: Record<string, { sc: ReturnType<typeof scenario>; pace: number }> = {
  probe: {
    sc: scenario({
      pack: 'probe',
      tickMs: 100,
      partitions: 4,
      duration: { simMinutes: 1 },
      policies: {
        'probe.actors': [
          { kind: 'recorder' },
          { kind: 'sender', args: { to: 0, count: 6, delays: [500, 0, 250] } },
          { kind: 'sender', args: { to: 0, count: 6, delays: [0, 500] } },
          { kind: 'sender', args: { to: 0, count: 6, delays: [250] } },
        ],
      },
    }),
    pace: 600,
  },
  dealflight: {
    // Reps comparing and promoting across partitions (quotes live where their index puts them).
    sc: scenario({
      pack: 'dealflight',
      tickMs: 1000,
      partitions: 4,
      duration: { simMinutes: 90 },
      policies: { reps: 20, quotes: 30, requestEveryMin: 3, promoteChance: 0.5 },
    }),
    pace: 60_000,
  },
  crm: {
    // Records over half an hour into the in-process CRM with every fault on: retries, timeouts,
    // the breaker and the DLQ all take part.
    sc: scenario({
      pack: 'crm',
      tickMs: 50,
      partitions: 4,
      duration: { simMinutes: 60 },
      policies: {
        windowHours: 0.5,
        totalRecords: 300,
        distribution: 'front_loaded',
        secondaryDelayMs: [1000, 120_000],
        invalidShare: 0.05,
        faults: { serverError: 0.05, timeout: 0.03, reset: 0.03, expiredToken: 0.01, throttle500: 0.02 },
      },
    }),
    pace: 60_000,
  },
  exec: {
    // Agents' intents routed by id to desks across partitions, fills at millisecond delays.
    sc: scenario({
      pack: 'exec',
      tickMs: 10,
      partitions: 4,
      duration: { simMinutes: 2 },
      policies: { traders: 12, intentEveryMs: 2000, partialFillChance: 0.3, invalidShare: 0.05 },
    }),
    pace: 60,
  },
  rebalance: {
    // The morning rush in a small city, internal stage: both policies solved on the job pool every
    // bucket, some global plans served; results land at a fixed sim delay however fast the pool is.
    sc: scenario({
      pack: 'rebalance',
      tickMs: 1000,
      partitions: 4,
      duration: { simMinutes: 90 },
      policies: {
        city: { synthetic: { stations: 150, seed: 3 } },
        districtSide: 3,
        startHour: 7,
        stage: 'internal',
        internalShare: 0.5,
      },
    }),
    pace: 10_000,
  },
  workload: {
    sc: scenario({
      pack: 'workload',
      tickMs: 1000,
      partitions: 8,
      duration: { simMinutes: 2 },
      policies: { kind: 'chatter', actors: 300, messagesEach: 2, hops: 6 },
    }),
    pace: 1200,
  },
};

for (const [pack, { sc, pace }] of Object.entries(OTHER_PACKS)) {
  test(`${pack}: same digest with 0, 1 and 2 workers, turbo and paced, windows of 1 tick or more`, async () => {
    const digests: string[] = [];
    for (const workers of [0, 1, 2]) {
      const { summary } = await runIt(sc, { seed: 9, workers });
      assert.is(summary.status, 'completed');
      assert.ok(summary.steps > 0 && summary.messages > 0, 'the pack did something');
      digests.push(summary.digest);
    }
    digests.push((await runIt(sc, { seed: 9, workers: 2, pace })).summary.digest);
    // Windows of one tick (a barrier each) against windows as long as the pack's lookahead allows.
    digests.push((await runIt(sc, { seed: 9, workers: 2, maxWindowTicks: 1 })).summary.digest);
    assert.equal(new Set(digests).size, 1, `digests: ${digests.join(' ')}`);
    assert.is.not((await runIt(sc, { seed: 10, workers: 0 })).summary.digest, digests[0], 'the seed matters');
  });
}

test('every registered pack has a determinism test', () => {
  const covered = new Set(['ledger', 'simcity', ...Object.keys(OTHER_PACKS)]);
  assert.equal([...PACKS.names()].sort(), [...covered].sort());
});

test.run();
