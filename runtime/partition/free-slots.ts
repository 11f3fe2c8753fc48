// A partition's stopped actors' slots, waiting for the next spawn: first freed, first reused. A
// queue rather than a stack so that reuse spreads over every free slot and a slot's generations
// (see placement.ts) run out as late as they can; the order is part of the run's determinism and
// travels in snapshots.
export class FreeSlots {
  private ring = new Int32Array(16);
  private head = 0;
  size = 0;

  push(slot: number): void {
    if (this.size === this.ring.length) this.grow();
    this.ring[(this.head + this.size) % this.ring.length] = slot;
    this.size++;
  }

  /** The oldest free slot, or -1 when there is none. */
  shift(): number {
    if (this.size === 0) return -1;
    const slot = this.ring[this.head];
    this.head = (this.head + 1) % this.ring.length;
    this.size--;
    return slot;
  }

  /** Oldest first. */
  toArray(): number[] {
    const out = new Array<number>(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.ring[(this.head + i) % this.ring.length];
    return out;
  }

  clear(): void {
    this.head = 0;
    this.size = 0;
  }

  private grow(): void {
    const ring = new Int32Array(this.ring.length * 2);
    const items = this.toArray();
    ring.set(items);
    this.ring = ring;
    this.head = 0;
  }
}
