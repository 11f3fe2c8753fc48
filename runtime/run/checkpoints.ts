// Checkpoints and compaction: the main state with the partitions' snapshots, written on schedule; an
// open-ended (service) run then drops inputs and thins metric rows older than its older checkpoint.
import type { SealedSnapshot } from '../partition/sealed-snapshot.js';
import type { CheckpointRow } from '../store/store.js';
import { isOpenEnded } from '../scenario/scenario-schema.js';
import type { RunContext } from './run-context.js';
import type { MainState } from './main-state.js';

export async function checkpoint(ctx: RunContext): Promise<void> {
  const previous = ctx.lastCheckpoint?.tickMs;
  saveCheckpoint(ctx, await ctx.executor.snapshot());
  // Effects issued before this checkpoint are never re-issued (a recovery re-executes only
  // ticks after it); those still pending are in the checkpoint's state.
  ctx.issuedEffects = new Set(ctx.state.pendingEffects.map((e) => e.effectId));
  if (isOpenEnded(ctx.options.durationMs) && previous !== undefined) compact(ctx, previous);
}

/**
 * A service run's bounds: inputs at or before the older of the two kept checkpoints leave the
 * log (resume starts from the newer checkpoint, replay from the older), and old metric rows are
 * thinned by SERVICE_RUN_RETENTION. So store and heap stay flat for weeks.
 */
export function compact(ctx: RunContext, olderCheckpointMs: number): void {
  ctx.inputs.compactThrough(olderCheckpointMs);
  ctx.recorder?.compact(olderCheckpointMs, ctx.state.lastTickMs);
}

export function saveCheckpoint(ctx: RunContext, partitions: SealedSnapshot[] | undefined): void {
  const cp: CheckpointRow = { tickMs: Math.max(0, ctx.state.lastTickMs), main: captureMain(ctx), partitions };
  ctx.lastCheckpoint = cp;
  ctx.recorder?.checkpoint(cp);
}

export function captureMain(ctx: RunContext): MainState {
  return structuredClone({
    ...ctx.state,
    routed: ctx.routedMail(),
    digestA: ctx.digest.a,
    digestB: ctx.digest.b,
    params: [...ctx.params.entries()],
    metrics: ctx.book.snapshot(),
    checker: ctx.checker.snapshot(),
    breaking: ctx.breaking?.snapshot(),
  });
}
