// One measurement of bench 1/5 in a process of its own (bench/actor-steps.ts starts one per
// subject per round and reads the JSON line this prints):
//   node dist/bench/actor-steps-subject.js plain                 the baselines: the plain loop on
//                                                                 this main thread, on 1 and on 2 raw worker threads
//   node dist/bench/actor-steps-subject.js tickwork <workers> <observe 0|1>
// A fresh process per subject is how a user runs tickwork (`tickwork run` is one run in one
// process) and keeps one subject's threads, heaps and JIT feedback out of the next one's figure.
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { plainLoop } from './plain-loop.js';
import { STEP_BENCH, timedRun, workloadScenario } from './harness.js';

const { actors: ACTORS, ticks: TICKS, warmTicks: WARM_TICKS } = STEP_BENCH;

/** Each raw worker times its own loop (objects built first, as in the plain loop); the slowest one sets the pace. */
async function rawWorkers(n: number): Promise<number> {
  const file = fileURLToPath(new URL('./raw-loop-worker.js', import.meta.url));
  const loops = await Promise.all(
    Array.from(
      { length: n },
      (_, i) =>
        new Promise<{ ms: number }>((resolve, reject) => {
          const w = new Worker(file, {
            workerData: { count: ACTORS / n, warmRounds: WARM_TICKS, rounds: TICKS, seed: i },
          });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
  return (ACTORS * TICKS) / (Math.max(...loops.map((l) => l.ms)) / 1000);
}

async function plainSubject(): Promise<Record<string, number>> {
  // Untimed first: V8 optimises the loop (12-14M steps/s on its first call here, 70-90M after).
  plainLoop(100_000, 0, 2, 1);
  const main = plainLoop(ACTORS, WARM_TICKS, TICKS, 1);
  return { plainMain: main.steps / (main.ms / 1000), raw1: await rawWorkers(1), raw2: await rawWorkers(2) };
}

/**
 * steady: steps/s over the TICKS ticks after the WARM_TICKS first ones (what a long run sustains).
 * whole: over the whole tick loop, the start step and warm-up ticks included, shown beside it.
 */
async function tickworkSubject(workers: number, observeSteps: boolean): Promise<Record<string, number>> {
  const sc = workloadScenario({ kind: 'stepper', actors: ACTORS, observeSteps }, (WARM_TICKS + TICKS) / 60, 1000);
  const { summary, loopMs, loopStartedAt, ticks } = await timedRun(sc, workers);
  const timed = ticks.slice(WARM_TICKS);
  const steps = timed.reduce((sum, t) => sum + t.steps, 0);
  const ms = timed[timed.length - 1].endedAt - (WARM_TICKS > 0 ? ticks[WARM_TICKS - 1].endedAt : loopStartedAt);
  return { steady: steps / (ms / 1000), whole: summary.steps / (loopMs / 1000) };
}

const [subject, workers, observe] = process.argv.slice(2);
const figures = subject === 'plain' ? await plainSubject() : await tickworkSubject(Number(workers), observe === '1');
console.log(JSON.stringify(figures));
