// One partition's actors, stored by column (struct of arrays) and indexed by local slot. A stopped
// actor's slot goes to the back of a free queue and the next spawn takes the oldest one, under
// the slot's next generation (placement.ts makes that part of the id), so the columns are as
// long as the most actors ever live at once, not as the actors ever spawned. A step reads the slot's
// kind, wake time and random-stream words from typed arrays laid out in slot order, so a tick
// that walks its due actors in slot order walks memory in order too; the actor's own state is the
// only object it touches. With an object per actor for the bookkeeping and one for its
// generator, a step touched three scattered objects; moving them into columns took bench 1's
// step from ~126 ns to ~107 ns.

import { MAX_GENERATION } from '../placement.js';
import { FreeSlots } from './free-slots.js';

/** Words of random-stream state per actor (xoroshiro128+: four 32-bit words). */
export const RNG_WORDS = 4;
const NO_KIND = -1;
/** Bits of `flags`: the actor has had its start input; its random stream has been seeded. */
export const STARTED = 1;
export const SEEDED = 2;

export class ActorTable {
  /** Slots handed out so far (live or not); the next spawn takes slot `size`. */
  size = 0;
  /** Live actors. */
  live = 0;
  /** Kind index, or -1 when the slot's actor has stopped (or was never restored). */
  kind = new Int32Array(0);
  /**
   * The generation of the slot's actor, or of its next one while the slot is free; past
   * MAX_GENERATION the slot is retired (never reused).
   */
  generation = new Int32Array(0);
  /** Kind index of the slot's last stopped actor (-1 for none): what a dead letter to it counts as. */
  stoppedKind = new Int32Array(0);
  /** Slots of stopped actors, oldest first. */
  readonly free = new FreeSlots();
  /** Pending wake time in sim ms, or -1. */
  wakeAt = new Float64Array(0);
  /** Next per-sender sequence number (messages and effect ids). */
  seq = new Float64Array(0);
  /** STARTED | SEEDED bits. */
  flags = new Uint8Array(0);
  /** Random-stream state, RNG_WORDS per slot, seeded on the actor's first draw. */
  rng = new Int32Array(0);
  state: unknown[] = [];
  args: unknown[] = [];

  /** False for stopped actors and for anything that is not a slot (out of range, negative). */
  isLive(slot: number): boolean {
    return this.kind[slot] >= 0;
  }

  /** The slot the next spawn takes: the oldest free one, else a new one (`size`). */
  nextSlot(): number {
    const slot = this.free.shift();
    return slot >= 0 ? slot : this.size;
  }

  /** Put an actor into a slot: from `nextSlot()`, or its old slot when restoring (slots below stay empty). */
  place(slot: number, kind: number, state: unknown, args: unknown, wakeAt: number): void {
    if (slot >= this.kind.length) this.grow(slot + 1);
    if (slot >= this.size) this.size = slot + 1;
    if (this.kind[slot] === NO_KIND) this.live++;
    this.kind[slot] = kind;
    this.wakeAt[slot] = wakeAt;
    this.seq[slot] = 0;
    this.flags[slot] = 0;
    this.state[slot] = state;
    this.args[slot] = args;
  }

  /** Hand out slots up to `size` (restoring a partition whose last actors had stopped). */
  reserve(size: number): void {
    if (size > this.kind.length) this.grow(size);
    if (size > this.size) this.size = size;
  }

  /**
   * The kind index of the actor of `generation` that left `slot`, when it was the slot's last one
   * (what a dead letter to it counts as); -1 for an older generation or a slot never left.
   */
  stoppedKindOf(slot: number, generation: number): number {
    return slot < this.size && generation === this.generation[slot] - 1 ? this.stoppedKind[slot] : -1;
  }

  /** Restoring: these slots are free, oldest first; every other empty slot below `size` is retired. */
  restoreFree(free: readonly { slot: number; generation: number; stoppedKind: number }[]): void {
    const isFree = new Set<number>();
    for (const f of free) {
      this.generation[f.slot] = f.generation;
      this.stoppedKind[f.slot] = f.stoppedKind;
      this.free.push(f.slot);
      isFree.add(f.slot);
    }
    for (let slot = 0; slot < this.size; slot++)
      if (!this.isLive(slot) && !isFree.has(slot)) this.generation[slot] = MAX_GENERATION + 1;
  }

  /** The slot's actor stopped: its slot waits in the free queue under the next generation. */
  remove(slot: number): void {
    if (this.kind[slot] === NO_KIND) return;
    this.stoppedKind[slot] = this.kind[slot];
    this.kind[slot] = NO_KIND;
    if (++this.generation[slot] <= MAX_GENERATION) this.free.push(slot);
    this.wakeAt[slot] = -1;
    this.state[slot] = undefined;
    this.args[slot] = undefined;
    this.live--;
  }

  clear(): void {
    this.size = 0;
    this.live = 0;
    this.kind.fill(NO_KIND);
    this.generation.fill(0);
    this.stoppedKind.fill(NO_KIND);
    this.free.clear();
    this.state = [];
    this.args = [];
  }

  /** Columns double, so a partition filled one spawn at a time copies each slot about twice. */
  private grow(need: number): void {
    const capacity = Math.max(need, this.kind.length * 2, 64);
    const kind = new Int32Array(capacity).fill(NO_KIND);
    kind.set(this.kind);
    this.kind = kind;
    const generation = new Int32Array(capacity);
    generation.set(this.generation);
    this.generation = generation;
    const stoppedKind = new Int32Array(capacity).fill(NO_KIND);
    stoppedKind.set(this.stoppedKind);
    this.stoppedKind = stoppedKind;
    const wakeAt = new Float64Array(capacity).fill(-1);
    wakeAt.set(this.wakeAt);
    this.wakeAt = wakeAt;
    const seq = new Float64Array(capacity);
    seq.set(this.seq);
    this.seq = seq;
    const flags = new Uint8Array(capacity);
    flags.set(this.flags);
    this.flags = flags;
    const rng = new Int32Array(capacity * RNG_WORDS);
    rng.set(this.rng);
    this.rng = rng;
  }
}
