// How far one dispatch may run: a window of ticks from `t` in which the partitions need nothing
// from each other or from the main thread. It ends before the run's lookahead runs out (mail
// between partitions sent in the window is due after it: runtime/partition/lookahead.ts), and
// before anything the main thread must apply at a tick of its own: a scenario event or its end, a
// recorded input, a job's result, a metrics interval, a checkpoint, the run's last tick. Live inputs
// (HTTP, effect results) wait for the next window's first tick and are logged with it, so a replay
// applies them at the same tick whatever its own windows are. Windows never change the digest.
import { runLookaheadMs } from '../partition/lookahead.js';
import type { RunContext } from './run-context.js';
import { nextScheduledMs } from './tick-clock.js';

/** The window's last tick (inclusive): `t` itself when the window is a single tick. */
export function windowUntil(ctx: RunContext, t: number, collect: boolean): number {
  const s = ctx.state;
  const tickMs = ctx.tickMs;
  // A collecting or checkpointing tick ends its window: the main thread reads the partitions after it.
  if (collect || t >= s.nextCheckpointAt || ctx.stopApplied || ctx.options.maxWindowTicks <= 1) return t;
  let end = t + Math.min(runLookaheadMs(ctx.model.kinds, ctx.params), ctx.options.maxWindowTicks * tickMs);
  end = Math.min(end, s.nextCollectAt, s.nextCheckpointAt, ctx.options.durationMs, nextScheduledMs(ctx, t));
  // A job asked for inside the window has its result due at least this long after its tick.
  for (const job of Object.values(ctx.pack.io?.jobs ?? {}))
    if (job.resultAfterMs !== undefined) end = Math.min(end, t + Math.max(job.resultAfterMs, tickMs));
  // Paced: no tick runs before its wall-clock time.
  const simNow = ctx.pace.simNowMs();
  if (simNow !== undefined) end = Math.min(end, Math.floor(simNow / tickMs) * tickMs + tickMs);
  // The last tick before `end`.
  return Math.max(t, Math.ceil(end / tickMs) * tickMs - tickMs);
}
