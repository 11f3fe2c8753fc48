// Conservative lookahead (bounded-lag synchronisation, as ROSS, SST and OMNeT++'s parallel mode
// do it). A kind declares the least delay of its messages to other partitions; the least over all
// kinds is the run's lookahead L. Mail sent at or after tick T to another partition is then due
// no earlier than T + L, so partitions may run every tick in [T, T + L) without hearing from each
// other and exchange their mail once, at the window's end. The check at send time is what makes
// that safe: a send below its kind's lookahead fails the run loudly instead of arriving late.
import type { ActorKind } from '../actor/types.js';
import { TickworkError } from '../errors.js';

/** Each kind's lookahead in sim ms, by kind index (0 when it declares none). */
export function kindLookaheads(kinds: readonly ActorKind[], params: ReadonlyMap<string, unknown>): number[] {
  const param = <T>(name: string) => params.get(name) as T;
  return kinds.map((k) => {
    const declared = k.crossPartitionDelayMs;
    const ms = typeof declared === 'function' ? declared(param) : (declared ?? 0);
    // Infinity: the kind never sends to another partition (and any such send fails the run).
    if (!(ms >= 0))
      throw new TickworkError(
        'TW_ERR_SCENARIO_INVALID',
        `kind '${k.name}' declares a cross-partition delay of ${ms} ms; it must be a number >= 0 (Infinity: never)`,
      );
    return ms;
  });
}

/** The run's lookahead: the least over its kinds. */
export function runLookaheadMs(kinds: readonly ActorKind[], params: ReadonlyMap<string, unknown>): number {
  return Math.min(Infinity, ...kindLookaheads(kinds, params));
}

/** A send to another partition below the sender kind's declared lookahead: a defect in the pack. */
export class LookaheadViolation extends TickworkError {
  constructor(kind: string, declaredMs: number, delayMs: number, from: number, to: number) {
    super(
      'TW_ERR_LIMIT',
      `actor ${from} (kind '${kind}') sent to actor ${to} in another partition with a delay of ${delayMs} sim ms, under the ${declaredMs} ms its kind declares (crossPartitionDelayMs): partitions run that long without a barrier, so the message would arrive late`,
    );
  }
}
