// A partition's pending messages, grouped by delivery tick. Messages for future ticks wait here;
// the partition reports the earliest tick as part of its next due time. Order within a tick does
// not matter: the partition sorts each tick's mail canonically.
import type { Message } from './message.js';
import { TickBuckets } from './tick-buckets.js';

export class Mailbox {
  private readonly byTick = new TickBuckets<Message>((capacity) => new Array<Message>(capacity));
  private count = 0;

  get size(): number {
    return this.count;
  }

  peekTime(): number {
    return this.byTick.peekTime();
  }

  push(m: Message): void {
    this.byTick.add(m.deliverAt, m);
    this.count++;
  }

  /** Remove and return every message due at or before `t` (unordered). */
  takeDue(t: number, out: Message[]): void {
    while (this.byTick.peekTime() <= t) {
      const bucket = this.byTick.popBucket();
      for (let i = 0; i < bucket.size; i++) out.push(bucket.items[i]);
      this.count -= bucket.size;
      this.byTick.recycle(bucket);
    }
  }

  forEach(fn: (m: Message) => void): void {
    this.byTick.forEach(fn);
  }

  /** Every pending message, in no particular order (snapshots). */
  all(): Message[] {
    const out: Message[] = [];
    this.forEach((m) => out.push(m));
    return out;
  }

  clear(): void {
    this.byTick.clear();
    this.count = 0;
  }
}
