// Baseline for bench 1: the plain loop over citizen-like objects, run in a raw worker thread.
import { parentPort, workerData } from 'node:worker_threads';
import { plainLoop } from './plain-loop.js';

const { count, rounds, seed } = workerData as { count: number; rounds: number; seed: number };
parentPort!.postMessage(plainLoop(count, rounds, seed));
