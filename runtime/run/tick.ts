// One tick: apply the timeline, event ends and due inputs, dispatch one task per host, then at the
// barrier merge in partition order (never completion order), fold the digest, record the runtime's
// own metrics, close the metrics interval when one is due, and checkpoint on schedule.
import { TickworkError } from '../errors.js';
import { wallNowMs } from '../pacing.js';
import type { Message } from '../partition/message.js';
import type { TickOverrunError } from '../pool/executor.js';
import type { ParamDelta } from '../protocol.js';
import { eventParamName } from './outside-input.js';
import type { RunContext } from './run-context.js';
import { requestEffect } from './effects-bridge.js';
import { closeInterval } from './interval-close.js';
import { applyInput, setParam } from './input-application.js';
import { checkpoint } from './checkpoints.js';

export async function runTick(ctx: RunContext, t: number): Promise<void> {
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

  const dispatched = wallNowMs();
  ctx.tickStartedWallMs = dispatched;
  const result = await ctx.executor
    .tick({ t, inbound, params: paramDeltas, collect })
    .finally(() => (ctx.tickStartedWallMs = undefined));
  const dispatchUs = (wallNowMs() - dispatched) * 1000;

  // Barrier: merge in partition order, never completion order.
  const digest = ctx.digest.int(t);
  let steps = 0;
  let messages = 0;
  let actors = 0;
  let execUsMax = 0;
  let workUs = 0;
  for (const r of result.partitions) {
    digest.word(r.digestA).word(r.digestB);
    s.nextDue[r.index] = r.nextDue;
    steps += r.steps;
    messages += r.sent;
    actors += r.actorCount;
    execUsMax = Math.max(execUsMax, r.execUs);
    workUs += r.execUs;
    for (const e of r.effects) requestEffect(ctx, e, t);
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
  ctx.mail = result.mail;
  s.ticks++;
  s.steps += steps;
  s.messages += messages;
  s.actors = actors;
  s.lastTickMs = t;

  const tickUs = (wallNowMs() - tickStarted) * 1000;
  ctx.chooser?.observe(tickUs, steps, workUs);
  ctx.book.record('runtime.tick_us', tickUs);
  ctx.book.record('runtime.dispatch_us', dispatchUs);
  if (steps > 0) ctx.book.record('runtime.step_ns', (execUsMax * 1000) / steps);
  if (ctx.options.pace !== 'turbo') ctx.book.record('runtime.drift_ms', driftMs);
  ctx.book.add('runtime.steps', steps);
  ctx.book.add('runtime.messages', messages);

  if (ctx.options.pace !== 'turbo') ctx.book.record('runtime.drift_ms_per_s', ctx.pace.driftMsPerRealSecond(driftMs));
  if (collect) closeInterval(ctx, t, result.metrics, result.partitions);
  ctx.tickCollected = collect;

  ctx.bus.emit('tick', { runId: ctx.id, tick: s.ticks, simMs: t, steps, actors, messages, tickUs });
  if (t >= s.nextCheckpointAt && !ctx.stopApplied && !ctx.escalation) {
    const every = ctx.options.scenario.checkpointEveryMin * 60_000;
    s.nextCheckpointAt = (Math.floor(t / every) + 1) * every;
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
