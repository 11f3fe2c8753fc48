// The actor API a pack programs against. Logic is separate from the runtime: a behaviour is a
// plain function over plain, serialisable state; the runtime owns mailboxes, timers and delivery.
import type { Rng } from '../rng.js';

/** Actor ids are integers; placement.ts maps one to its partition, slot and generation. */
export type ActorId = number;
/** Simulated milliseconds since the start of the run. */
export type SimMs = number;

/** Sender id of inputs that come from outside the simulation (HTTP, CLI, effect results). */
export const OUTSIDE: ActorId = -1;

export type Input<M> =
  | { readonly type: 'start' }
  | { readonly type: 'wake' }
  | { readonly type: 'message'; readonly from: ActorId; readonly body: M }
  | { readonly type: 'effect-result'; readonly effectId: string; readonly ok: boolean; readonly value: unknown };

export interface ActorContext<M = unknown> {
  readonly id: ActorId;
  readonly now: SimMs;
  readonly rng: Rng;
  readonly partitions: number;
  /** Deliver `body` to `to` no earlier than the next tick and no earlier than now + delayMs. */
  send(to: ActorId, body: M, delayMs?: SimMs): void;
  /** Create an actor in this partition; it receives a 'start' input at the next tick. */
  spawn(kind: string, args?: unknown): ActorId;
  /** Wake this actor at sim time `t` (one timer per actor; a new call replaces the old one). */
  wakeAt(t: SimMs): void;
  /** Remove this actor after the current step. */
  stop(): void;
  /** Ask the runtime for a side effect outside the tick; the result comes back as an input. */
  effect(kind: string, request: unknown): string;
  /** Domain telemetry: goes to the bus (SSE, logs) and into the digest. */
  emit(type: string, data?: unknown): void;
  /** Record a value into the named HDR histogram. */
  observe(metric: string, value: number): void;
  /** Add to the named counter. */
  count(metric: string, n?: number): void;
  /** Live policy value (scenario default, changed by policy inputs). */
  param<T = unknown>(name: string): T;
}

export type SupervisionPolicy = 'restart' | 'stop' | 'escalate';

// biome-ignore lint/suspicious/noExplicitAny: a catalogue holds kinds of every state, message and args type; each kind is checked where defineKind builds it.
export interface ActorKind<S = any, M = any, A = any> {
  readonly name: string;
  /** Fresh state from spawn args; also used by the 'restart' supervision policy. */
  init(args: A, id: ActorId): S;
  /** Handle one input; mutate `state` in place or return a replacement. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a behaviour may mutate its state and return nothing, or return a new state.
  receive(state: S, input: Input<M>, ctx: ActorContext<M>): S | void;
  /** What happens when `receive` throws. */
  readonly onFailure: SupervisionPolicy;
  /**
   * This kind's lookahead: the least sim-time delay of any message it sends to an actor in another
   * partition (a network hop, a confirmation's latency). The runtime refuses a send below it (the
   * run fails, naming the kind) and, with every kind's lookahead known, lets partitions run that
   * long between barriers (runtime/partition/lookahead.ts). A function reads the scenario's
   * policies when the run loads; Infinity says the kind never sends to another partition. Without
   * it, 0: partitions meet at every tick.
   */
  readonly crossPartitionDelayMs?: number | ((param: <T>(name: string) => T) => number);
}

export function defineKind<S, M, A>(kind: ActorKind<S, M, A>): ActorKind<S, M, A> {
  return kind;
}
