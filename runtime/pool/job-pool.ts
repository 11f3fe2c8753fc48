// The pool that runs pack jobs: unpinned piscina threads, separate from the partition threads
// (which a run holds for its whole life), created on first use and shared by every run in the
// process. A job over its budget is aborted, and piscina ends the thread running it, so a
// runaway solve cannot hold a core.
import { EFFECT_LIMITS } from '../limits.js';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { WorkerRef } from '../packs/worker-ref.js';
import type { JobTask } from '../worker/job-entry.js';

const JOB_FILE = fileURLToPath(new URL('../worker/job-entry.js', import.meta.url));

let pool: Piscina | undefined;

function jobPool(): Piscina {
  pool ??= new Piscina({
    filename: JOB_FILE,
    minThreads: 0,
    maxThreads: Math.max(1, availableParallelism()),
    // Bounded: a run cannot queue unbounded work (the effect runner bounds its own queue too).
    maxQueue: EFFECT_LIMITS.maxQueuedJobs,
    idleTimeout: 60_000,
  });
  return pool;
}

/** Run a job in a pool thread; rejects with an AbortError when `signal` fires first. */
export function runJob(ref: WorkerRef, request: unknown, signal: AbortSignal): Promise<unknown> {
  const task: JobTask = { url: ref.url, export: ref.export, request };
  return jobPool().run(task, { signal });
}
