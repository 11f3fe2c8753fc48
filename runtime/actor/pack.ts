// The contract of an actor pack (actors/<pack>/): its kinds, how a partition is populated at the
// start of a run, and the reporters that measure partition state for invariants.
import type { ActorId, ActorKind } from './types.js';
import type { Message } from '../partition/message.js';

export interface PackSetupContext {
  readonly partition: number;
  readonly partitions: number;
  readonly seed: number;
  spawn(kind: string, args?: unknown): ActorId;
  param<T = unknown>(name: string): T;
}

/** Read-only view of a partition, for reporters. */
export interface PartitionView {
  forEachActor(fn: (kind: string, state: unknown, id: ActorId) => void): void;
  /** Messages sent but not yet delivered that this partition holds (its mailbox and outbox). */
  forEachInFlight(fn: (m: Message) => void): void;
}

/** A gauge measured from state on every metrics interval, combined across partitions. */
export interface Reporter {
  readonly metric: string;
  readonly combine: 'sum' | 'min' | 'max';
  measure(view: PartitionView): number;
}

export interface Pack {
  readonly name: string;
  readonly description: string;
  readonly kinds: readonly ActorKind[];
  /** Populate one partition; runs once per partition at the start of a fresh run. */
  setup(ctx: PackSetupContext): void;
  readonly reporters?: readonly Reporter[];
}
