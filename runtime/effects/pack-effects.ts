// How a pack's effect kinds reach the effect runner: its own handlers beside `http`, and each of
// its jobs as the effect `job:<name>`, run on the job pool with the job's budget as its timeout.
import type { RunnablePack } from '../packs/runnable-pack.js';
import { runJob } from '../pool/job-pool.js';
import { EFFECT_DEFAULTS, type EffectHandler, type EffectRunnerOptions } from './effect-runner.js';

/** The pack's effect handlers, and its jobs as `job:<name>` effects run on the job pool within their budgets. */
export function packEffectOptions(pack: RunnablePack): EffectRunnerOptions {
  const handlers: Record<string, EffectHandler> = { ...pack.io?.effects };
  const timeouts: Record<string, number> = {};
  for (const [name, job] of Object.entries(pack.io?.jobs ?? {})) {
    handlers[`job:${name}`] = (request, signal) => runJob(job.worker, request, signal);
    timeouts[`job:${name}`] = job.budgetMs;
  }
  return { ...EFFECT_DEFAULTS, handlers, timeouts };
}
