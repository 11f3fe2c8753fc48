// Moving a running run's partitions to another executor (inline to worker threads, or back), as
// the self-choosing executor decides (runtime/pool/executor-chooser.ts). Between two ticks, right
// after a metrics interval closed: the partitions are sealed where they live, loaded where they
// go, and the mail already routed for the next tick is routed again for the new hosts. Nothing
// is replayed and no effect is re-issued; the digest goes on as if nothing happened.
import { InlineExecutor } from '../pool/inline-executor.js';
import { WorkerLostError, type PartitionExecutor } from '../pool/executor.js';
import { WorkerPoolExecutor } from '../pool/worker-pool-executor.js';
import type { RunContext } from './run-context.js';
import { loadSpec } from './run-start.js';
import { countRecovery, restoreFrom, surviveWorkerLoss } from './recovery.js';

/** Inline for 0 workers, else a pinned pool with the run's tick watchdog. */
export function createExecutor(ctx: RunContext, workers: number): PartitionExecutor {
  return workers === 0
    ? new InlineExecutor()
    : new WorkerPoolExecutor(workers, ctx.options.scenario.tickWatchdogSec * 1000);
}

/** Is it time (a metrics interval just closed), and does the chooser want a move? Then make it. */
export async function adaptExecutor(ctx: RunContext): Promise<void> {
  const chooser = ctx.chooser;
  // Not after the last tick: there is nothing left to run faster.
  if (!chooser || !ctx.tickCollected || ctx.state.lastTickMs >= ctx.options.durationMs) return;
  const move = chooser.decide();
  if (move !== 'stay') {
    await handOver(ctx, createExecutor(ctx, move === 'to-workers' ? ctx.options.workers : 0));
    ctx.log.info({ workers: ctx.executor.workerCount, reason: chooser.choice.reason }, 'executor changed');
  }
  // The chooser stays: a settled choice is re-checked as the run goes on.
  if (chooser.settled) ctx.executorChoice = chooser.choice;
}

async function handOver(ctx: RunContext, next: PartitionExecutor): Promise<void> {
  const previous = ctx.executor;
  ctx.partitionsLoaded = false;
  try {
    const snapshots = await previous.snapshot();
    const routed = ctx.routedMail();
    await previous.close();
    ctx.executor = next;
    await next.load(loadSpec(ctx), snapshots);
    ctx.routeMail(routed);
    ctx.partitionsLoaded = true;
  } catch (err) {
    // A worker died on the way: the run recovers from its last checkpoint on the new executor.
    if (!(err instanceof WorkerLostError)) throw err;
    countRecovery(ctx, err);
    if (ctx.executor === previous) await previous.close().catch(() => undefined);
    ctx.executor = next;
    const cp = ctx.lastCheckpoint!;
    await surviveWorkerLoss(ctx, () => restoreFrom(ctx, cp));
  }
}
