// A partition's pending messages, grouped by delivery time: one bucket per distinct tick and a
// small binary heap of those ticks. Most messages are due at one of a few upcoming ticks, so a
// push is a map lookup and an array push rather than a heap insertion per message. Messages for
// future ticks wait here; the partition reports the earliest tick as part of its next due time.
// Order within a bucket does not matter: the partition sorts each tick's mail canonically.
import type { Message } from './message.js';

export class Mailbox {
  private buckets = new Map<number, Message[]>();
  /** Min-heap of the delivery times that have a bucket. */
  private times: number[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  peekTime(): number {
    return this.times.length > 0 ? this.times[0] : Infinity;
  }

  push(m: Message): void {
    let bucket = this.buckets.get(m.deliverAt);
    if (bucket === undefined) {
      bucket = [];
      this.buckets.set(m.deliverAt, bucket);
      heapPush(this.times, m.deliverAt);
    }
    bucket.push(m);
    this.count++;
  }

  /** Remove and return every message due at or before `t` (unordered). */
  takeDue(t: number, out: Message[]): void {
    while (this.times.length > 0 && this.times[0] <= t) {
      const at = heapPop(this.times);
      const bucket = this.buckets.get(at)!;
      this.buckets.delete(at);
      for (let i = 0; i < bucket.length; i++) out.push(bucket[i]);
      this.count -= bucket.length;
    }
  }

  forEach(fn: (m: Message) => void): void {
    for (const bucket of this.buckets.values()) for (const m of bucket) fn(m);
  }

  /** Every pending message, in no particular order (snapshots). */
  all(): Message[] {
    const out: Message[] = [];
    this.forEach((m) => out.push(m));
    return out;
  }

  clear(): void {
    this.buckets.clear();
    this.times = [];
    this.count = 0;
  }
}

function heapPush(h: number[], v: number): void {
  let i = h.length;
  h.push(v);
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (h[p] <= v) break;
    h[i] = h[p];
    i = p;
  }
  h[i] = v;
}

function heapPop(h: number[]): number {
  const top = h[0];
  const last = h.pop()!;
  if (h.length === 0) return top;
  let i = 0;
  const n = h.length;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    const c = r < n && h[r] < h[l] ? r : l;
    if (h[c] >= last) break;
    h[i] = h[c];
    i = c;
  }
  h[i] = last;
  return top;
}
