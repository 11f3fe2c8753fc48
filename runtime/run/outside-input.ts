// Outside inputs: everything that enters a run from outside the simulation. Each is stamped with
// the tick it took effect at and written to the input log; replay feeds the log back verbatim.
import type { ActorId } from '../actor/types.js';

export type OutsideInput =
  | { kind: 'policy'; policies: Record<string, unknown> }
  | { kind: 'event'; type: string; durationMs: number; parameters: Record<string, unknown> }
  /** `to` is an actor id, or a stable name the pack resolves (PackModule.resolveName). */
  | { kind: 'message'; to: ActorId | { name: string }; body: unknown }
  | { kind: 'effect-result'; effectId: string; actorId: ActorId; ok: boolean; value: unknown }
  | { kind: 'stop'; reason: string };

export interface LoggedInput {
  seq: number;
  tickMs: number;
  input: OutsideInput;
}

/** Param under which an active chaos or scenario event is visible to actors. */
export function eventParamName(type: string): string {
  return `event.${type}`;
}
