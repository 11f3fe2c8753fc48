// What one partition's tick produces: its digest, its outputs for the scheduler, and its mail by
// destination partition. An idle tick (nothing due) shares empty lists instead of allocating.
import type { Digest } from '../digest.js';
import type { PartitionTickOutcome } from '../protocol.js';
import type { Message } from './message.js';

export interface TickOutput extends PartitionTickOutcome {
  /** Outbound messages by destination partition (only non-empty entries are set). */
  outbound: (Message[] | undefined)[];
}

const NONE: never[] = [];

/** The output of a tick with no steps: the digest is the tick's seed, nothing else happened. */
export function idleOutput(digest: Digest, partitions: number): TickOutput {
  return {
    digestA: digest.a,
    digestB: digest.b,
    outbound: new Array(partitions),
    effects: NONE,
    events: NONE,
    failures: NONE,
    steps: 0,
    deadLetters: 0,
    escalated: undefined,
  };
}

/** A fresh output for a tick that steps actors; the partition fills it in. */
export function workingOutput(partitions: number): TickOutput {
  return {
    digestA: 0,
    digestB: 0,
    outbound: new Array(partitions),
    effects: [],
    events: [],
    failures: [],
    steps: 0,
    deadLetters: 0,
    escalated: undefined,
  };
}
