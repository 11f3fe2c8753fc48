// When the next tick runs: the earliest of every partition's next due time, pending effects, routed
// mail, the scenario timeline, live event ends and replayed inputs, quantised to the tick; paced
// runs sleep until then (woken early by an input or a signal); undefined once the run is done.
import { interruptibleSleep } from '../pacing.js';
import { mailMinDeliverAt } from '../partition/message.js';
import { quantise } from './timeline.js';
import type { RunContext } from './run-context.js';
import { releaseDueResults } from './effects-bridge.js';

/**
 * The earliest sim time after `after` at which the main thread applies something at a tick of its
 * own: a job's result, a scenario event or its end, a recorded input. The tick clock wakes for it;
 * a window (window-plan.ts) ends before it.
 */
export function nextScheduledMs(ctx: RunContext, after: number): number {
  const s = ctx.state;
  let at = Infinity;
  for (const e of s.pendingEffects) if (e.dueAtMs !== undefined && e.dueAtMs > after) at = Math.min(at, e.dueAtMs);
  if (s.timelineIndex < ctx.timeline.length) at = Math.min(at, ctx.timeline[s.timelineIndex].atMs);
  for (const e of s.liveEventEnds) at = Math.min(at, e.atMs);
  return Math.min(at, ctx.inputs.nextReplayMs() ?? Infinity);
}

/** Sim time of the next tick to run, sleeping (paced) or waiting (effects) as needed; undefined when done. */
export async function nextTickTime(ctx: RunContext): Promise<number | undefined> {
  const endMs = ctx.options.durationMs;
  for (;;) {
    if (ctx.interruptRequested) return undefined;
    const s = ctx.state;
    const earliest = s.lastTickMs + ctx.tickMs;
    let due = Math.min(...s.nextDue, nextScheduledMs(ctx, -Infinity));
    for (const mails of ctx.mail) for (const mail of mails) due = Math.min(due, mailMinDeliverAt(mail));
    const idle =
      ctx.pack.contract.endsWhenIdle === true &&
      s.ticks > 0 &&
      due === Infinity &&
      !ctx.inputs.hasLive &&
      ctx.effects.pending === 0;
    if (ctx.inputs.hasLive) {
      const simNow = ctx.pace.simNowMs();
      due = Math.min(due, simNow === undefined ? earliest : quantise(simNow, ctx.tickMs));
    }
    due = Math.max(earliest, quantise(due, ctx.tickMs));
    if (idle || due > endMs) {
      if (!idle && ctx.mode === 'live' && ctx.effects.pending > 0) {
        await ctx.effects.next();
        continue;
      }
      // Paced: the run lasts its wall-clock length even when nothing happens, and can still be
      // steered; unless its pack ends runs once they are idle.
      const sleepMs = idle ? 0 : ctx.pace.sleepBeforeMs(endMs);
      if (sleepMs > 0) {
        // Woken by an input, a signal or the sleep's cap: look again.
        await interruptibleSleep(sleepMs, ctx.wake);
        continue;
      }
      // Counts made since the last collecting tick are still in the partitions: one last tick collects them.
      if (ctx.collectedAtMs !== s.lastTickMs && earliest <= endMs) {
        s.nextCollectAt = earliest;
        if (!(await releaseDueResults(ctx, earliest))) continue;
        return earliest;
      }
      ctx.endedIdle = idle;
      return undefined;
    }
    const sleepMs = ctx.pace.sleepBeforeMs(due);
    if (sleepMs > 0) {
      await interruptibleSleep(sleepMs, ctx.wake);
      if (ctx.pace.sleepBeforeMs(due) > 0) continue; // woken early by an input or a signal
    }
    if (!(await releaseDueResults(ctx, due))) continue;
    return due;
  }
}
