// Bench 6: SimCity. (a) `baseline` in turbo against its 12-minute runbook pace; (b) a city of
// 100,000 citizens and 5,000 vendors for one sim day, sim-seconds per wall-second with 1 and 2
// workers; (c) `soak` (7 sim days) in turbo: live JS heap at the end of each sim day, last against
// first, with the ArrayBuffers beside it (actor columns, timer buckets, ...) shown per day.
import { loadScenario } from '../runtime/scenario/scenario-loader.js';
import { PACKS } from '../actors/index.js';
import { resolveRunOptions } from '../runtime/run/run-options.js';
import { Run } from '../runtime/run/run.js';
import { collectGarbage, fmt, printTable } from './harness.js';

const DAY_MS = 86_400_000;
const MB = 1024 * 1024;

async function timed(run: Run) {
  const started = performance.now();
  const summary = await run.execute();
  return { summary, wallMs: performance.now() - started };
}

// (c) first, in a fresh process: does memory grow with sim time? Measured inline (workers=0) so
// that every actor lives in the one heap that can be collected and read here, and in-run, at the
// end of each sim day, so that the first and the last sample see the same live run.
const soak = loadScenario(PACKS, 'soak');
const soakRun = new Run(resolveRunOptions('soak', soak, { seed: 42, workers: 0, pace: 'turbo' }), { packs: PACKS });
const perDay: { heapUsed: number; arrayBuffers: number; heapTotal: number; rss: number }[] = [];
soakRun.bus.on('tick', (t) => {
  if (t.simMs < (perDay.length + 1) * DAY_MS) return;
  collectGarbage();
  const m = process.memoryUsage();
  perDay.push({ heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, heapTotal: m.heapTotal, rss: m.rss });
});
const soakResult = await timed(soakRun);
const [day1, last] = [perDay[0], perDay[perDay.length - 1]];
const mb = (n: number) => `${(n / MB).toFixed(1)} MB`;
printTable('Bench 6c: soak (7 sim days) in turbo, workers=0', [
  {
    what: 'wall time',
    value: `${(soakResult.wallMs / 1000).toFixed(1)} s (${((soak.duration.realMinutes! * 60_000) / soakResult.wallMs).toFixed(0)}x the runbook pace)`,
  },
  { what: 'JS heap used after GC, end of sim day 1 (baseline)', value: mb(day1.heapUsed) },
  { what: `JS heap used after GC, end of sim day ${perDay.length}`, value: mb(last.heapUsed) },
  {
    what: 'heap used, last day / day 1',
    value: `${(last.heapUsed / day1.heapUsed).toFixed(3)} (target <= 1.10: live data does not grow)`,
  },
  // Not in the ratio: V8 releases dead ArrayBuffers some time after a collection, so a reading
  // mixes live columns with buffers that are dead but not yet freed.
  {
    what: 'ArrayBuffers after GC per sim day, MB',
    value: perDay.map((d) => (d.arrayBuffers / MB).toFixed(2)).join(' '),
  },
  { what: 'heap reserved (heapTotal), day 1 -> last', value: `${mb(day1.heapTotal)} -> ${mb(last.heapTotal)}` },
  { what: 'RSS, day 1 -> last', value: `${mb(day1.rss)} -> ${mb(last.rss)} (${(last.rss / day1.rss).toFixed(3)})` },
  { what: 'heap used per sim day', value: perDay.map((d) => (d.heapUsed / MB).toFixed(1)).join(' ') },
  {
    what: 'citizens spawned',
    value: String((soakResult.summary.kpis as { agents: { spawned: number } }).agents.spawned),
  },
]);

// (a) The runbook plays baseline in 12 real minutes.
const baseline = loadScenario(PACKS, 'baseline');
const runbookMs = baseline.duration.realMinutes! * 60_000;
const baselineRows = [];
/** `undefined`: the default, a run that chooses its executor. */
const executorLabel = (workers: number | undefined, summary: { executor?: { workers: number; reason: string } }) =>
  workers === undefined
    ? `auto (default): chose ${summary.executor?.workers ?? '?'} (${summary.executor?.reason})`
    : String(workers);
/** Barriers per sim hour: one per window (a window is up to the lookahead's 5 ticks here). */
const barriersPerSimHour = (summary: { counters: Record<string, number>; simTimeMs: number }) =>
  fmt((summary.counters['runtime.barriers'] ?? 0) / (summary.simTimeMs / 3_600_000), 1);
// [workers, most ticks per window]: the last row is the scheduler before windows, a barrier per tick.
const settings: [number | undefined, number | undefined][] = [
  [undefined, undefined],
  [0, undefined],
  [1, undefined],
  [2, undefined],
  [2, 1],
];
const windowLabel = (maxWindowTicks: number | undefined) => (maxWindowTicks === 1 ? ', a barrier per tick' : '');
for (const [workers, maxWindowTicks] of settings) {
  const { summary, wallMs } = await timed(
    new Run(resolveRunOptions('baseline', baseline, { seed: 42, workers, maxWindowTicks, pace: 'turbo' }), {
      packs: PACKS,
    }),
  );
  baselineRows.push({
    workers: executorLabel(workers, summary) + windowLabel(maxWindowTicks),
    'wall ms': wallMs.toFixed(0),
    'barriers per sim h': barriersPerSimHour(summary),
    ticks: summary.ticks,
    'x faster than runbook pace': (runbookMs / wallMs).toFixed(0),
    passed: String(summary.passed),
  });
}
printTable(`Bench 6a: baseline (20 sim h) in turbo vs its runbook pace of ${runbookMs / 60_000} min`, baselineRows);

// (b) A big city: residents start their sessions within the first sim day.
const bigCity = {
  ...baseline,
  name: 'big_city',
  duration: { simHours: 24 },
  invariants: baseline.invariants.filter((i) => i.id === 'zero_double_bookings' || i.id === 'no_orphaned_references'),
  policies: {
    ...baseline.policies,
    initialCitizens: 100_000,
    vendors: 5_000,
    initialVendors: 5_000,
    customerSpawnRate: 0,
    maxConcurrentAgents: 100_000,
    apiCapacityPerMin: 20_000,
    rateLimitPerMin: 100_000,
  },
};
const cityRows = [];
const citySettings: [number | undefined, number | undefined][] = [
  [1, undefined],
  [2, undefined],
  [2, 1],
  [undefined, undefined],
];
for (const [workers, maxWindowTicks] of citySettings) {
  const { summary, wallMs } = await timed(
    new Run(resolveRunOptions('big_city', bigCity, { seed: 42, workers, maxWindowTicks, pace: 'turbo' }), {
      packs: PACKS,
    }),
  );
  cityRows.push({
    workers: executorLabel(workers, summary) + windowLabel(maxWindowTicks),
    'barriers per sim h': barriersPerSimHour(summary),
    'wall s': (wallMs / 1000).toFixed(1),
    'sim s per wall s': fmt(summary.simTimeMs / wallMs, 1),
    steps: fmt(summary.steps, 1),
    bookings: String((summary.kpis as { funnel: { confirmed: number } }).funnel.confirmed),
    digest: summary.digest,
  });
}
printTable('Bench 6b: 100,000 citizens and 5,000 vendors, 1 sim day, turbo', cityRows);
console.log(`\nworkers=2 vs workers=1: ${(Number(cityRows[0]['wall s']) / Number(cityRows[1]['wall s'])).toFixed(2)}x`);
console.log(
  `workers=2, windows vs a barrier per tick: ${(Number(cityRows[2]['wall s']) / Number(cityRows[1]['wall s'])).toFixed(2)}x`,
);
