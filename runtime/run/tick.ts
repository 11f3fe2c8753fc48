// One window of ticks (window-plan.ts; a single tick when the run has no lookahead): apply the
// timeline, event ends and due inputs at its first tick, dispatch one task per host, then at the
// barrier fold every tick of the window in tick order and, within a tick, partition order (never
// completion order): the digest, effects, events and failures, as if each tick had had a barrier
// of its own. Then record the runtime's own metrics, close the metrics interval when one is due,
// and checkpoint on schedule.
import { TickworkError } from '../errors.js';
import { wallNowMs } from '../pacing.js';
import type { Message } from '../partition/message.js';
import type { TickOverrunError } from '../pool/executor.js';
import type { ParamDelta, PartitionTickResult } from '../protocol.js';
import { eventParamName } from './outside-input.js';
import type { RunContext } from './run-context.js';
import { requestEffect } from './effects-bridge.js';
import { closeInterval } from './interval-close.js';
import { applyInput, setParam } from './input-application.js';
import { checkpoint } from './checkpoints.js';
import { windowUntil } from './window-plan.js';

export async function runWindow(ctx: RunContext, t: number): Promise<void> {
  const s = ctx.state;
  ctx.currentTick = t;
  const tickStarted = wallNowMs();
  const driftMs = ctx.pace.driftMs(t);
  const paramDeltas: ParamDelta[] = [];
  const outsideMessages: Message[] = [];

  while (s.timelineIndex < ctx.timeline.length && ctx.timeline[s.timelineIndex].atMs <= t) {
    const c = ctx.timeline[s.timelineIndex++];
    ctx.log.info(
      { param: c.name, value: c.value },
      c.value === undefined ? 'scenario event ends' : 'scenario event starts',
    );
    setParam(ctx, c.name, c.value, paramDeltas);
  }
  s.liveEventEnds = s.liveEventEnds.filter((e) => {
    if (e.atMs > t) return true;
    setParam(ctx, eventParamName(e.type), undefined, paramDeltas);
    return false;
  });
  const { recorded, live } = ctx.inputs.take(t);
  for (const logged of recorded) applyInput(ctx, logged, t, paramDeltas, outsideMessages);
  for (const logged of live) {
    applyInput(ctx, logged, t, paramDeltas, outsideMessages);
    // Effect results are routine traffic; steering (policies, events, stops) is news.
    if (logged.input.kind === 'effect-result')
      ctx.log.debug({ seq: logged.seq, input: logged.input }, 'effect result applied');
    else ctx.log.info({ seq: logged.seq, input: logged.input }, 'outside input applied');
    ctx.bus.emit('input', { runId: ctx.id, ...logged });
  }

  const inbound = ctx.mail;
  ctx.mail = ctx.emptyMail();
  for (const m of outsideMessages) inbound[ctx.hostOf(m.to)].push([m]);
  // The last tick a run can have always collects: nothing recorded is left in the partitions.
  const collect = t >= s.nextCollectAt || t >= ctx.options.durationMs;

  const until = windowUntil(ctx, t, collect);

  const dispatched = wallNowMs();
  ctx.tickStartedWallMs = dispatched;
  const result = await ctx.executor
    .tick({ t, until, inbound, params: paramDeltas, collect })
    .finally(() => (ctx.tickStartedWallMs = undefined));
  const dispatchUs = (wallNowMs() - dispatched) * 1000;

  // Barrier: each tick of the window in turn, its partitions in partition order.
  const parts = result.partitions;
  const partitions = ctx.options.partitions;
  let steps = 0;
  let messages = 0;
  let workUs = 0;
  let lastTick = t;
  const latest: PartitionTickResult[] = new Array(partitions);
  for (let i = 0; i < parts.length && !ctx.escalation; ) {
    const tick = parts[i].t;
    lastTick = tick;
    const digest = ctx.digest.int(tick);
    // A partition with nothing due at this tick reports nothing: its digest is the tick's seed.
    for (let next = 0; next < partitions; next++) {
      const r = i < parts.length && parts[i].t === tick && parts[i].index === next ? parts[i++] : undefined;
      if (!r) {
        digest.word(next).word(tick);
        continue;
      }
      digest.word(r.digestA).word(r.digestB);
      latest[next] = r;
      steps += r.steps;
      messages += r.sent;
      workUs += r.execUs;
      for (const e of r.effects) requestEffect(ctx, e, tick);
      for (const e of r.events) ctx.bus.emit('event', { ...e, runId: ctx.id });
      for (const f of r.failures) {
        s.actorFailures++;
        ctx.book.add('runtime.actor_failures', 1);
        ctx.log.warn({ actorId: f.actorId, kind: f.kind, policy: f.policy, error: f.message }, 'actor failed');
      }
      if (r.deadLetters > 0) ctx.book.add('runtime.dead_letters', r.deadLetters);
      if (r.escalated)
        ctx.escalation = `actor ${r.escalated.actorId} (${r.escalated.kind}) failed and escalated: ${r.escalated.message}`;
    }
    s.ticks++;
    s.lastTickMs = tick;
  }
  // Due times and sizes as of the window's end (each partition's last result carries them).
  let actors = 0;
  for (let p = 0; p < partitions; p++) {
    const r = latest[p];
    if (r) s.nextDue[p] = r.nextDue;
    actors += r ? r.actorCount : 0;
  }
  ctx.mail = result.mail;
  s.steps += steps;
  s.messages += messages;
  if (!ctx.escalation) s.actors = actors;
  ctx.currentTick = lastTick;
  ctx.book.add('runtime.barriers', 1);

  const tickUs = (wallNowMs() - tickStarted) * 1000;
  ctx.chooser?.observe(tickUs, steps, workUs);
  ctx.book.record('runtime.tick_us', tickUs);
  ctx.book.record('runtime.dispatch_us', dispatchUs);
  // Work per step over every partition tick of the window (their sum: the CPU a step costs).
  if (steps > 0) ctx.book.record('runtime.step_ns', (workUs * 1000) / steps);
  if (ctx.options.pace !== 'turbo') ctx.book.record('runtime.drift_ms', driftMs);
  ctx.book.add('runtime.steps', steps);
  ctx.book.add('runtime.messages', messages);

  if (ctx.options.pace !== 'turbo') ctx.book.record('runtime.drift_ms_per_s', ctx.pace.driftMsPerRealSecond(driftMs));
  if (collect) closeInterval(ctx, t, result.metrics, result.partitions);
  ctx.tickCollected = collect;

  // One event per window: watchers see progress, not every tick of a turbo run.
  ctx.bus.emit('tick', { runId: ctx.id, tick: s.ticks, simMs: lastTick, steps, actors, messages, tickUs });
  if (lastTick >= s.nextCheckpointAt && !ctx.stopApplied && !ctx.escalation) {
    const every = ctx.options.scenario.checkpointEveryMin * 60_000;
    s.nextCheckpointAt = (Math.floor(lastTick / every) + 1) * every;
    await checkpoint(ctx);
  }
}

/** A hung tick fails the run (resuming would hang again), naming the actor and its kind. */
export function overrunError(ctx: RunContext, err: TickOverrunError): TickworkError {
  const kind = ctx.model.kinds[err.kindIndex]?.name;
  const what =
    err.actorId >= 0
      ? `actor ${err.actorId} (kind ${kind ?? err.kindIndex}) was being stepped`
      : 'no actor was being stepped';
  return new TickworkError(
    'TW_ERR_LIMIT',
    `${err.message}: ${what}; raise tickWatchdogSec if a tick may really take that long`,
  );
}
