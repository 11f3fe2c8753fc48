// Recovery: restoring a run from a checkpoint (after a worker death, or to resume it), re-issuing the
// effects still pending, within a budget of recoveries per run.
import { Digest } from '../digest.js';
import { TickworkError } from '../errors.js';
import { WorkerLostError } from '../pool/executor.js';
import type { SealedSnapshot } from '../partition/sealed-snapshot.js';
import type { CheckpointRow } from '../store/store.js';
import { RUN_DEFAULTS } from './run-options.js';
import type { RunContext } from './run-context.js';
import type { MainState } from './main-state.js';
import { loadSpec } from './run-start.js';

export async function restoreFrom(ctx: RunContext, cp: CheckpointRow): Promise<void> {
  const main = structuredClone(cp.main as MainState);
  ctx.state = main;
  ctx.params = new Map(main.params);
  ctx.digest = new Digest(main.digestA, main.digestB);
  ctx.book.restore(main.metrics);
  ctx.checker.restore(main.checker);
  ctx.breaking?.restore(main.breaking);
  const appliedUpTo = main.lastTickMs;
  ctx.inputs.replayAfter(appliedUpTo);
  ctx.issuedEffects = new Set(main.pendingEffects.map((e) => e.effectId));
  if (ctx.mode === 'live') {
    const answered = ctx.inputs.answeredEffects();
    for (const e of main.pendingEffects) if (!answered.has(e.effectId)) ctx.effects.submit(e);
  }
  ctx.stopApplied = undefined;
  ctx.partitionsLoaded = false;
  await ctx.executor.load(loadSpec(ctx), cp.partitions);
  ctx.partitionsLoaded = true;
  ctx.routeMail(main.routed);
}

/**
 * Run `load` (a fresh start or a restore) again after each worker death, however many die at
 * once or during the load itself, within the run's recovery budget: piscina replaces the threads.
 */
export async function surviveWorkerLoss(ctx: RunContext, load: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      return await load();
    } catch (err) {
      if (!(err instanceof WorkerLostError)) throw err;
      countRecovery(ctx, err);
    }
  }
}

export function countRecovery(ctx: RunContext, err: WorkerLostError): void {
  ctx.recoveries++;
  if (ctx.recoveries > RUN_DEFAULTS.maxWorkerRecoveries) {
    throw new TickworkError('TW_ERR_WORKER_LOST', `${err.message}; gave up after ${ctx.recoveries - 1} recoveries`);
  }
  // Unapplied live inputs stay queued; applied ones after the checkpoint replay from the log.
  ctx.log.warn(
    { slot: err.slot, fromSimMs: ctx.lastCheckpoint?.tickMs ?? 0 },
    'worker died; restoring its partitions from the last checkpoint',
  );
}

/** The interrupt checkpoint's partitions; undefined if a worker died meanwhile (the last checkpoint then stands). */
export async function snapshotUnlessLost(ctx: RunContext): Promise<SealedSnapshot[] | undefined> {
  try {
    return await ctx.executor.snapshot();
  } catch (err) {
    if (!(err instanceof WorkerLostError)) throw err;
    ctx.log.warn({ slot: err.slot }, 'worker died while interrupting; the run resumes from its last checkpoint');
    return undefined;
  }
}
