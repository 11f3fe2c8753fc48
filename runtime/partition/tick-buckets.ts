// Items grouped by the tick they are due at: one array per distinct tick and a small binary heap
// of those ticks. Most items are due at one of a few upcoming ticks, so adding one is a map lookup
// and an array push instead of a heap insertion per item. The mailbox (messages) and the timer
// queue (actor wake-ups) are both built on it.

export class TickBuckets<T> {
  private readonly buckets = new Map<number, T[]>();
  /** Min-heap of the ticks that have a bucket. */
  private times: number[] = [];
  /** The bucket added to last: a tick's sends and wake-ups mostly target one tick, so skip the lookup. */
  private lastTime = NaN;
  private lastBucket: T[] | undefined;

  /** Earliest tick with a bucket, or Infinity. */
  peekTime(): number {
    return this.times.length > 0 ? this.times[0] : Infinity;
  }

  /** The earliest bucket itself (callers may compact it in place), or undefined. */
  peekBucket(): T[] | undefined {
    return this.times.length > 0 ? this.buckets.get(this.times[0]) : undefined;
  }

  add(time: number, item: T): void {
    if (time === this.lastTime) {
      this.lastBucket!.push(item);
      return;
    }
    let bucket = this.buckets.get(time);
    if (bucket === undefined) {
      bucket = [];
      this.buckets.set(time, bucket);
      heapPush(this.times, time);
    }
    this.lastTime = time;
    this.lastBucket = bucket;
    bucket.push(item);
  }

  /** Remove the earliest bucket and return its items in the order they were added. */
  popBucket(): T[] {
    const at = heapPop(this.times);
    const bucket = this.buckets.get(at)!;
    this.buckets.delete(at);
    if (at === this.lastTime) this.forgetLast();
    return bucket;
  }

  forEach(fn: (item: T, time: number) => void): void {
    for (const [time, bucket] of this.buckets) for (const item of bucket) fn(item, time);
  }

  clear(): void {
    this.buckets.clear();
    this.times = [];
    this.forgetLast();
  }

  private forgetLast(): void {
    this.lastTime = NaN;
    this.lastBucket = undefined;
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
