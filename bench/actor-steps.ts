// Bench 1 (actor steps/s) and bench 5 (metrics cost). 1M stepper actors, each woken every tick:
// an RNG draw, a state update, an occasional send. Baselines in the same run: the plain loop in
// one thread and split over two raw worker threads.
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { plainLoop } from './plain-loop.js';
import { fmt, printTable, timedRun, workloadScenario } from './harness.js';

const ACTORS = Number(process.env.BENCH_ACTORS ?? 1_000_000);
const TICKS = Number(process.env.BENCH_TICKS ?? 10);

/** Each raw worker times its own loop (objects built first, as in the plain loop); the slowest one sets the pace. */
async function rawWorkers(n: number): Promise<number> {
  const file = fileURLToPath(new URL('./raw-loop-worker.js', import.meta.url));
  const loops = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      new Promise<{ ms: number }>((resolve, reject) => {
        const w = new Worker(file, { workerData: { count: ACTORS / n, rounds: TICKS, seed: i } });
        w.once('message', resolve);
        w.once('error', reject);
      }),
    ),
  );
  return (ACTORS * TICKS) / (Math.max(...loops.map((l) => l.ms)) / 1000);
}

async function tickwork(workers: number, observeSteps: boolean): Promise<number> {
  // The start step of every actor plus TICKS ticks of steps, over the tick loop's time (actors
  // are spawned before it starts, as the plain loop builds its objects before its clock starts).
  const sc = workloadScenario({ kind: 'stepper', actors: ACTORS, observeSteps, stepEveryMs: 1000 }, TICKS / 60, 1000);
  const { summary, loopMs } = await timedRun(sc, workers);
  return summary.steps / (loopMs / 1000);
}

const plain = plainLoop(ACTORS, TICKS, 1);
const plainRate = plain.steps / (plain.ms / 1000);
const raw1 = await rawWorkers(1);
const raw2 = await rawWorkers(2);
const tw1 = await tickwork(1, false);
const tw2 = await tickwork(2, false);
const tw0 = await tickwork(0, false);
const tw1Observed = await tickwork(1, true);

printTable(`Bench 1: actor steps/s, ${fmt(ACTORS, 0)} actors, ${TICKS} ticks`, [
  { what: 'plain for-loop, 1 thread (baseline)', 'steps/s': fmt(plainRate), ratio: '1.00' },
  { what: 'plain loop, 1 raw worker thread', 'steps/s': fmt(raw1), ratio: (raw1 / plainRate).toFixed(2) },
  { what: 'plain loop, 2 raw worker threads', 'steps/s': fmt(raw2), ratio: (raw2 / plainRate).toFixed(2) },
  { what: 'tickwork workers=0 (inline)', 'steps/s': fmt(tw0), ratio: (tw0 / plainRate).toFixed(2) },
  { what: 'tickwork workers=1', 'steps/s': fmt(tw1), ratio: (tw1 / plainRate).toFixed(2) },
  { what: 'tickwork workers=2', 'steps/s': fmt(tw2), ratio: (tw2 / plainRate).toFixed(2) },
]);
const rawSpeedup = raw2 / raw1;
const twSpeedup = tw2 / tw1;
console.log(`\nworkers=1 vs plain loop: ${((tw1 / plainRate) * 100).toFixed(0)}% (target >= 25%)`);
console.log(`speedup 2 vs 1: tickwork ${twSpeedup.toFixed(2)}x, raw threads ${rawSpeedup.toFixed(2)}x -> ${((twSpeedup / rawSpeedup) * 100).toFixed(0)}% of raw (target >= 90%)`);

printTable('Bench 5: cost of recording every step into HDR (workers=1)', [
  { what: 'no per-step observe (baseline)', 'steps/s': fmt(tw1), ratio: '1.00' },
  { what: 'observe every step', 'steps/s': fmt(tw1Observed), ratio: (tw1Observed / tw1).toFixed(2) },
]);
console.log(`\nmetrics overhead: ${((1 - tw1Observed / tw1) * 100).toFixed(1)}% (target <= 10%)`);
