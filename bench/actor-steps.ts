// Bench 1 (actor steps/s) and bench 5 (metrics cost). 1M stepper actors, each woken every tick:
// an RNG draw, a state update, an occasional send. Baselines in the same run: the plain loop in
// one thread and split over two raw worker threads.
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { plainLoop } from './plain-loop.js';
import { fmt, medianOf, printTable, timedRun, workloadScenario } from './harness.js';

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

async function tickwork(workers: number, observeSteps: boolean, actors = ACTORS, ticks = TICKS): Promise<number> {
  // The start step of every actor plus TICKS ticks of steps, over the tick loop's time (actors
  // are spawned before it starts, as the plain loop builds its objects before its clock starts).
  const sc = workloadScenario({ kind: 'stepper', actors, observeSteps }, ticks / 60, 1000);
  const { summary, loopMs } = await timedRun(sc, workers);
  return summary.steps / (loopMs / 1000);
}

// The host drifts by tens of percent from one minute to the next, so every subject runs once per
// round, rounds repeat, and each ratio is the median of its per-round ratios.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
type Round = { plain: number; plainMain: number; raw1: number; raw2: number; tw0: number; tw1: number; tw2: number; tw1Observed: number };
// The plain loop runs 5-6x faster once V8 has optimised it (12-14M steps/s on its first call
// here, 70-80M after): warm it before any round, so every ratio is against the optimised loop.
plainLoop(100_000, 2, 1);
const configurations = [
  ['tw1', 1, false],
  ['tw2', 2, false],
  ['tw0', 0, false],
  ['tw1Observed', 1, true],
] as const;
// Likewise tickwork: one untimed run of the full size per configuration, so each configuration's
// threads (kept from run to run) are JIT-warm in round 1 too, as the baselines' loops are. With
// a 100k-actor warm-up run, round 1 with 2 workers was still the slowest round.
for (const [, workers, observe] of configurations) await tickwork(workers, observe);
// The configurations run in a different order each round (a rotation): a run is slowed by what
// ran just before it in the process (the threads' and heaps' history), and a fixed order gave
// each configuration the same neighbour every round, e.g. the observing run always after the
// inline one.
const rounds: Round[] = [];
for (let k = 0; k < ROUNDS; k++) {
  const main = plainLoop(ACTORS, TICKS, 1);
  const plainMain = main.steps / (main.ms / 1000);
  const raw1 = await rawWorkers(1);
  const round: Round = {
    // The one-thread baseline is the faster of the two one-thread loops in the round: the main
    // thread's loop swings by 2x from round to round here (it shares its heap with the inline
    // runs), a fresh thread's much less.
    plain: Math.max(plainMain, raw1),
    plainMain,
    raw1,
    raw2: await rawWorkers(2),
    tw0: 0,
    tw1: 0,
    tw2: 0,
    tw1Observed: 0,
  };
  for (let i = 0; i < configurations.length; i++) {
    const [key, workers, observe] = configurations[(i + k) % configurations.length];
    round[key] = await tickwork(workers, observe);
  }
  rounds.push(round);
}
const rate = (key: keyof Round) => medianOf(rounds.map((r) => r[key]));
const ratio = (key: keyof Round, base: keyof Round = 'plain') => medianOf(rounds.map((r) => r[key] / r[base]));
const perRound = (f: (r: Round) => number) => rounds.map((r) => f(r).toFixed(2)).join(' ');

printTable(`Bench 1: actor steps/s, ${fmt(ACTORS, 0)} actors, ${TICKS} ticks, ${ROUNDS} rounds`, [
  { what: 'plain for-loop, 1 thread: the faster of the next two in each round (baseline)', 'steps/s': fmt(rate('plain')), 'ratio (median of rounds)': '1.00', 'ratio per round': '' },
  ...(
    [
      ['plain loop, main thread', 'plainMain'],
      ['plain loop, 1 raw worker thread', 'raw1'],
      ['plain loop, 2 raw worker threads', 'raw2'],
      ['tickwork workers=0 (inline)', 'tw0'],
      ['tickwork workers=1', 'tw1'],
      ['tickwork workers=2', 'tw2'],
    ] as const
  ).map(([what, key]) => ({ what, 'steps/s': fmt(rate(key)), 'ratio (median of rounds)': ratio(key).toFixed(2), 'ratio per round': perRound((r) => r[key] / r.plain) })),
]);
const share = medianOf(rounds.map((r) => (r.tw2 / r.tw1) / (r.raw2 / r.raw1)));
console.log(`\nworkers=1 vs plain loop: ${(ratio('tw1') * 100).toFixed(0)}% (target >= 25%)`);
console.log(`speedup 2 vs 1: tickwork ${perRound((r) => r.tw2 / r.tw1)}, raw threads ${perRound((r) => r.raw2 / r.raw1)} -> median ${(share * 100).toFixed(0)}% of raw (target >= 90%)`);

printTable('Bench 5: cost of recording every step into HDR (workers=1)', [
  { what: 'no per-step observe (baseline)', 'steps/s': fmt(rate('tw1')), 'ratio (median of rounds)': '1.00', 'ratio per round': '' },
  { what: 'observe every step', 'steps/s': fmt(rate('tw1Observed')), 'ratio (median of rounds)': ratio('tw1Observed', 'tw1').toFixed(2), 'ratio per round': perRound((r) => r.tw1Observed / r.tw1) },
]);
console.log(`\nmetrics overhead: ${((1 - ratio('tw1Observed', 'tw1')) * 100).toFixed(1)}% (target <= 10%)`);
