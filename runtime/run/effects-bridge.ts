// The bridge between actors' effects and the outside world: an effect asked for in a tick is handed
// to the effect runner (live runs only: a replay reads results from the input log); its outcome
// re-enters the run as an input, at once or, for deterministic jobs, at its due tick.
import type { EffectOutcome } from '../effects/effect-runner.js';
import type { EffectRequest } from '../protocol.js';
import { quantise } from './timeline.js';
import type { RunContext } from './run-context.js';

/**
 * Deterministic jobs due by tick `t`: queue their results, in request order, to be applied at
 * `t`; false (after waiting for the next effect to finish) while one is still running.
 */
export async function releaseDueResults(ctx: RunContext, t: number): Promise<boolean> {
  if (ctx.mode !== 'live') return true; // a replay reads them from the input log at their ticks
  const due = ctx.state.pendingEffects.filter(
    (e) => e.dueAtMs !== undefined && e.dueAtMs <= t && !ctx.inputs.hasResultFor(e.effectId),
  );
  const missing = due.filter((e) => !ctx.heldResults.has(e.effectId));
  if (missing.length > 0) {
    // Nothing running could answer them (never submitted): ask again rather than wait forever.
    if (ctx.effects.pending === 0) for (const e of missing) ctx.effects.submit(e);
    await ctx.effects.next();
    return false;
  }
  for (const e of due) {
    const o = ctx.heldResults.get(e.effectId)!;
    ctx.heldResults.delete(e.effectId);
    ctx.inputs.enqueue({
      input: { kind: 'effect-result', effectId: o.effectId, actorId: o.actorId, ok: o.ok, value: o.value },
    });
  }
  return true;
}

export function requestEffect(ctx: RunContext, req: EffectRequest, t: number): void {
  if (ctx.issuedEffects.has(req.effectId)) return; // re-executed after a recovery
  ctx.issuedEffects.add(req.effectId);
  const resultAfterMs = req.kind.startsWith('job:') ? ctx.pack.io?.jobs?.[req.kind.slice(4)]?.resultAfterMs : undefined;
  if (resultAfterMs !== undefined)
    req = { ...req, dueAtMs: quantise(t + Math.max(resultAfterMs, ctx.tickMs), ctx.tickMs) };
  ctx.state.pendingEffects.push(req);
  if (ctx.mode !== 'live') return; // replay: the result is in the input log
  if (ctx.inputs.hasResultFor(req.effectId)) return;
  ctx.effects.submit(req);
}

export function onEffectOutcome(ctx: RunContext, o: EffectOutcome): void {
  if (ctx.status !== 'running') return;
  // A job's wall time, as a metric (the input itself stays free of wall time: it is digested).
  const pending = ctx.state.pendingEffects.find((e) => e.effectId === o.effectId);
  if (pending?.kind.startsWith('job:'))
    ctx.book.record(`runtime.job_us.${pending.kind.slice(4)}`, Math.max(1, Math.round(o.elapsedMs * 1000)));
  if (pending?.dueAtMs !== undefined) {
    ctx.heldResults.set(o.effectId, o); // applied at its due tick, not before
    ctx.wake.wake?.();
    return;
  }
  ctx.inputs.enqueue({
    input: { kind: 'effect-result', effectId: o.effectId, actorId: o.actorId, ok: o.ok, value: o.value },
  });
  ctx.wake.wake?.();
}
