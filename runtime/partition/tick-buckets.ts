// Items grouped by the tick they are due at: one bucket per distinct tick and a small binary heap
// of those ticks. Most items are due at one of a few upcoming ticks, so adding one is a map lookup
// (usually skipped: see lastTime) and an array write instead of a heap insertion per item. The
// mailbox (messages) and the timer queue (actor wake-ups) are both built on it.
//
// Emptied buckets are reused. A large array grown from empty costs ~20 ns per item here (every
// growth step past ~128 KB is a new large-object allocation); writing into one that already has
// the room costs ~1-2 ns. A partition of 60k actors waking every tick refills a 60k bucket per
// tick, so the bucket keeps its array and counts its items itself.

/** One tick's items: the first `size` entries of `items` (the array is reused; its length is capacity). */
export interface Bucket<T> {
  items: T[];
  size: number;
}

/** Spare buckets kept for reuse; a tick rarely has more than a few live. */
const MAX_SPARE = 4;

export class TickBuckets<T> {
  private readonly buckets = new Map<number, Bucket<T>>();
  /** Min-heap of the ticks that have a bucket. */
  private times: number[] = [];
  /** The bucket added to last: a tick's sends and wake-ups mostly target one tick, so skip the lookup. */
  private lastTime = NaN;
  private lastBucket: Bucket<T> | undefined;
  private readonly spare: Bucket<T>[] = [];

  /** Earliest tick with a bucket, or Infinity. */
  peekTime(): number {
    return this.times.length > 0 ? this.times[0] : Infinity;
  }

  /** The earliest bucket itself (callers may compact it in place), or undefined. */
  peekBucket(): Bucket<T> | undefined {
    return this.times.length > 0 ? this.buckets.get(this.times[0]) : undefined;
  }

  add(time: number, item: T): void {
    // Kept this small on purpose: it is inlined into every actor step, and V8 inlines only so
    // much into one function; the lookup path is a call of its own.
    if (time === this.lastTime) {
      const bucket = this.lastBucket!;
      bucket.items[bucket.size++] = item;
    } else {
      this.addToBucket(time, item);
    }
  }

  /** Remove the earliest bucket; its items are in the order they were added. Hand it back with `recycle`. */
  popBucket(): Bucket<T> {
    const at = heapPop(this.times);
    const bucket = this.buckets.get(at)!;
    this.buckets.delete(at);
    if (at === this.lastTime) this.forgetLast();
    return bucket;
  }

  /** A popped bucket is done with: keep its array for a later tick. */
  recycle(bucket: Bucket<T>): void {
    // Object items must not be kept alive by a spare array; numbers need no clearing.
    if (bucket.size > 0 && typeof bucket.items[0] === 'object') bucket.items.fill(undefined as T, 0, bucket.size);
    bucket.size = 0;
    if (this.spare.length < MAX_SPARE) this.spare.push(bucket);
  }

  forEach(fn: (item: T, time: number) => void): void {
    for (const [time, bucket] of this.buckets) for (let i = 0; i < bucket.size; i++) fn(bucket.items[i], time);
  }

  clear(): void {
    this.buckets.clear();
    this.times = [];
    this.forgetLast();
  }

  private addToBucket(time: number, item: T): void {
    let bucket = this.buckets.get(time);
    if (bucket === undefined) {
      bucket = this.spare.pop() ?? { items: [], size: 0 };
      this.buckets.set(time, bucket);
      heapPush(this.times, time);
    }
    this.lastTime = time;
    this.lastBucket = bucket;
    bucket.items[bucket.size++] = item;
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
