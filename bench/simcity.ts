// Bench 6: SimCity. (a) `baseline` in turbo against its 12-minute runbook pace; (b) a city of
// 100,000 citizens and 5,000 vendors for one sim day, sim-seconds per wall-second with 1 and 2
// workers; (c) `soak` (7 sim days) in turbo: RSS at the end against RSS after the first sim day.
import { loadScenario } from '../runtime/scenario/scenario-loader.js';
import { resolveRunOptions } from '../runtime/scheduler/run-options.js';
import { Run } from '../runtime/scheduler/run.js';
import { fmt, printTable } from './harness.js';

const DAY_MS = 86_400_000;
const MB = 1024 * 1024;

async function timed(run: Run) {
  const started = performance.now();
  const summary = await run.execute();
  return { summary, wallMs: performance.now() - started };
}

// (c) first, in a fresh process: memory after the first sim day against memory at the end.
const soak = loadScenario('soak');
const soakRun = new Run(resolveRunOptions('soak', soak, { seed: 42, workers: 1, pace: 'turbo' }));
let rssAfterDay1 = 0;
soakRun.bus.on('tick', (t) => {
  if (rssAfterDay1 === 0 && t.simMs >= DAY_MS) {
    globalThis.gc?.();
    rssAfterDay1 = process.memoryUsage.rss();
  }
});
const soakResult = await timed(soakRun);
globalThis.gc?.();
const rssEnd = process.memoryUsage.rss();
printTable('Bench 6c: soak (7 sim days) in turbo, workers=1', [
  { what: 'wall time', value: `${(soakResult.wallMs / 1000).toFixed(1)} s (${(soak.duration.realMinutes! * 60_000 / soakResult.wallMs).toFixed(0)}x the runbook pace)` },
  { what: 'RSS after sim day 1 (baseline)', value: `${(rssAfterDay1 / MB).toFixed(0)} MB` },
  { what: 'RSS at the end', value: `${(rssEnd / MB).toFixed(0)} MB` },
  { what: 'end / day 1', value: `${(rssEnd / rssAfterDay1).toFixed(3)} (target <= 1.10)` },
  { what: 'citizens spawned', value: String((soakResult.summary.kpis as { agents: { spawned: number } }).agents.spawned) },
]);

// (a) The runbook plays baseline in 12 real minutes.
const baseline = loadScenario('baseline');
const runbookMs = baseline.duration.realMinutes! * 60_000;
const baselineRows = [];
for (const workers of [0, 1, 2]) {
  const { summary, wallMs } = await timed(new Run(resolveRunOptions('baseline', baseline, { seed: 42, workers, pace: 'turbo' })));
  baselineRows.push({ workers, 'wall ms': wallMs.toFixed(0), ticks: summary.ticks, 'x faster than runbook pace': (runbookMs / wallMs).toFixed(0), passed: String(summary.passed) });
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
for (const workers of [1, 2]) {
  const { summary, wallMs } = await timed(new Run(resolveRunOptions('big_city', bigCity, { seed: 42, workers, pace: 'turbo' })));
  cityRows.push({
    workers,
    'wall s': (wallMs / 1000).toFixed(1),
    'sim s per wall s': fmt(summary.simTimeMs / wallMs, 1),
    steps: fmt(summary.steps, 1),
    bookings: String((summary.kpis as { funnel: { confirmed: number } }).funnel.confirmed),
    digest: summary.digest,
  });
}
printTable('Bench 6b: 100,000 citizens and 5,000 vendors, 1 sim day, turbo', cityRows);
console.log(`\nworkers=2 vs workers=1: ${(Number(cityRows[0]['wall s']) / Number(cityRows[1]['wall s'])).toFixed(2)}x`);

