// A fresh run's start: its policies as params, each partition populated by the pack's setup, the
// initial main state and a start-of-run checkpoint.
import { Digest } from '../digest.js';
import type { ParamDelta } from '../protocol.js';
import type { RunContext } from './run-context.js';
import { saveCheckpoint } from './checkpoints.js';

export async function startFresh(ctx: RunContext): Promise<void> {
  const { options } = ctx;
  const params = new Map<string, unknown>(Object.entries({ ...options.scenario.policies, ...options.policies }));
  params.set('tickMs', ctx.tickMs);
  ctx.params = params;
  ctx.inputs.replayAll();
  const loaded = await ctx.executor.load(loadSpec(ctx), undefined);
  ctx.partitionsLoaded = true;
  ctx.mail = ctx.emptyMail();
  ctx.state = {
    lastTickMs: -ctx.tickMs,
    ticks: 0,
    digestA: 0,
    digestB: 0,
    params: [...params.entries()],
    routed: [],
    nextDue: loaded.nextDue,
    timelineIndex: 0,
    liveEventEnds: [],
    nextCollectAt: 0,
    nextCheckpointAt: options.scenario.checkpointEveryMin * 60_000,
    steps: 0,
    messages: 0,
    actorFailures: 0,
    actors: loaded.actorCount,
    pendingEffects: [],
    metrics: ctx.book.snapshot(),
    checker: ctx.checker.snapshot(),
  };
  ctx.digest = new Digest(ctx.options.seed >>> 0, options.partitions);
  // A start-of-run checkpoint (no partition snapshots: the pack's setup rebuilds them), so a
  // worker death or a kill before the first periodic checkpoint is recoverable.
  saveCheckpoint(ctx, undefined);
}

export function loadSpec(ctx: RunContext) {
  return {
    runId: ctx.id,
    pack: ctx.pack.model,
    seed: ctx.options.seed,
    partitions: ctx.options.partitions,
    tickMs: ctx.tickMs,
    params: [...ctx.params.entries()] as ParamDelta[],
  };
}
