// Baseline for bench 1: the plain loop over citizen-like objects, run in a raw worker thread.
import { parentPort, workerData } from 'node:worker_threads';
import { plainLoop } from './plain-loop.js';

const { count, warmRounds, rounds, seed } = workerData as {
  count: number;
  warmRounds: number;
  rounds: number;
  seed: number;
};
// An untimed first call lets V8 optimise the loop, as the main-thread baseline is (see actor-steps-subject.ts).
plainLoop(Math.min(count, 100_000), 0, 2, seed);
parentPort!.postMessage(plainLoop(count, warmRounds, rounds, seed));
