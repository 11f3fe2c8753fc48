// Outside inputs at the run's edge and at their tick: accepting them (checked, queued, logged), and
// applying them in log order (policies, chaos events, messages to actors, effect results, stop),
// each folded into the digest.
import { OUTSIDE, type ActorId } from '../actor/types.js';
import { canonicalJson } from '../digest.js';
import { TickworkError } from '../errors.js';
import type { Message } from '../partition/message.js';
import type { ParamDelta } from '../protocol.js';
import { eventParamName, type LoggedInput, type OutsideInput } from './outside-input.js';
import { checkInputBounds } from './input-bounds.js';
import { quantise } from './timeline.js';
import type { RunContext } from './run-context.js';

export function applyInput(
  ctx: RunContext,
  logged: LoggedInput,
  t: number,
  deltas: ParamDelta[],
  outside: Message[],
): void {
  const input = logged.input;
  ctx.digest.word(0x1a).string(canonicalJson(input));
  switch (input.kind) {
    case 'policy':
      for (const [name, value] of Object.entries(input.policies)) setParam(ctx, name, value, deltas);
      break;
    case 'event': {
      const endsAtMs = quantise(t + input.durationMs, ctx.tickMs);
      setParam(ctx, eventParamName(input.type), { ...input.parameters, startedAtMs: t, endsAtMs }, deltas);
      ctx.state.liveEventEnds = ctx.state.liveEventEnds.filter((e) => e.type !== input.type);
      ctx.state.liveEventEnds.push({ atMs: endsAtMs, type: input.type });
      ctx.checker.chaosEvent({ type: input.type, startMs: t, endMs: endsAtMs });
      break;
    }
    case 'message':
      outside.push({ to: recipientOf(ctx, input.to), from: OUTSIDE, seq: logged.seq, deliverAt: t, body: input.body });
      break;
    case 'effect-result':
      ctx.state.pendingEffects = ctx.state.pendingEffects.filter((e) => e.effectId !== input.effectId);
      outside.push({
        to: input.actorId,
        from: OUTSIDE,
        seq: logged.seq,
        deliverAt: t,
        body: undefined,
        effect: { effectId: input.effectId, ok: input.ok, value: input.value },
      });
      break;
    case 'stop':
      ctx.stopApplied = input.reason;
      break;
  }
}

export function setParam(ctx: RunContext, name: string, value: unknown, deltas: ParamDelta[]): void {
  if (value === undefined) ctx.params.delete(name);
  else ctx.params.set(name, value);
  deltas.push([name, value]);
}

/** A message by name needs a pack that resolves names; refuse it at the edge, not at its tick. */
export function checkAddress(ctx: RunContext, input: OutsideInput): void {
  if (input.kind === 'message' && typeof input.to !== 'number' && !ctx.pack.io?.resolveName) {
    throw new TickworkError('TW_ERR_VALIDATION', `pack ${ctx.pack.name} does not address actors by name`, 'to');
  }
}

export function recipientOf(ctx: RunContext, to: ActorId | { name: string }): ActorId {
  return typeof to === 'number' ? to : ctx.pack.io!.resolveName!(to.name, ctx.options.partitions);
}

/** Queue an outside input; it takes effect at the next tick and is written to the input log. */
export function submit(ctx: RunContext, input: OutsideInput): void {
  if (ctx.status !== 'running' && ctx.status !== 'pending') {
    throw new TickworkError('TW_ERR_RUN_STATE', `run ${ctx.id} is ${ctx.status}`);
  }
  checkAddress(ctx, input);
  checkInputBounds(input);
  ctx.inputs.enqueue({ input });
  ctx.wake.wake?.();
}

/**
 * Queue an outside input and resolve once it is durably in the input log (written to the store
 * at the tick it takes effect): a source acknowledges upstream only then, so a crash before
 * that point makes the upstream redeliver. Rejects if the run ends first.
 */
export function submitLogged(ctx: RunContext, input: OutsideInput): Promise<LoggedInput> {
  return new Promise((resolve, reject) => {
    if (ctx.status !== 'running' && ctx.status !== 'pending') {
      reject(new TickworkError('TW_ERR_RUN_STATE', `run ${ctx.id} is ${ctx.status}`));
      return;
    }
    // A throw here rejects the promise: a refused input is never logged.
    checkAddress(ctx, input);
    checkInputBounds(input);
    ctx.inputs.enqueue({ input, logged: resolve, dropped: reject });
    ctx.wake.wake?.();
  });
}
