// Cost of one actor step in one configuration, for profiling the hot path (not part of
// `npm run bench`): 1M steppers, the tick loop timed over several runs in one process, best and
// per-run ns per step. BENCH_WORKERS (default 0), BENCH_ACTORS, BENCH_TICKS, BENCH_RUNS, and
// BENCH_OBSERVE=1 to record every step into a histogram (bench 5's configuration).
// Run with `node --cpu-prof` to see where a step goes.
import { timedRun, workloadScenario } from './harness.js';

const workers = Number(process.env.BENCH_WORKERS ?? 0);
const actors = Number(process.env.BENCH_ACTORS ?? 1_000_000);
const ticks = Number(process.env.BENCH_TICKS ?? 10);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const observeSteps = process.env.BENCH_OBSERVE === '1';

const perStep: number[] = [];
let digest = '';
for (let r = 0; r < runs; r++) {
  const sc = workloadScenario({ kind: 'stepper', actors, observeSteps }, ticks / 60, 1000);
  const { summary, loopMs } = await timedRun(sc, workers);
  perStep.push((loopMs * 1e6) / summary.steps);
  digest = summary.digest;
}
console.log(
  `workers=${workers} actors=${actors} ticks=${ticks}${observeSteps ? ' observed' : ''}: ns/step ${perStep.map((x) => x.toFixed(0)).join(' ')}, best ${Math.min(...perStep).toFixed(1)} (digest ${digest})`,
);
