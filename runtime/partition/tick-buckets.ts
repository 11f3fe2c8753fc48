// Items grouped by the tick they are due at: one bucket per distinct tick and a small binary heap
// of those ticks. Most items are due at one of a few upcoming ticks, so adding one is a map lookup
// (usually skipped: see lastTime) and an array write instead of a heap insertion per item. The
// mailbox (messages) and the timer queue (actor wake-ups, as slots) are both built on it.
//
// Emptied buckets are reused. A large array grown from empty costs ~20 ns per item here (every
// growth step past ~128 KB is a new large-object allocation); writing into one that already has
// the room costs ~1-2 ns. A partition of 60k actors waking every tick refills a 60k bucket per
// tick, so the bucket keeps its array and counts its items itself. The storage is the caller's
// choice: the timer queue keeps slots in an Int32Array (4 bytes an entry instead of a JS array's
// 8, and nothing for the garbage collector to scan), the mailbox keeps messages in an array.

/** What a bucket keeps its items in: a JS array or a typed array, indexed, fixed capacity. */
export interface ItemArray<T> {
  readonly length: number;
  [index: number]: T;
}

/** One tick's items: the first `size` entries of `items` (reused; its length is the capacity). */
export interface Bucket<T, A extends ItemArray<T> = T[]> {
  items: A;
  size: number;
}

/** Spare buckets kept for reuse; a tick rarely has more than a few live. */
const MAX_SPARE = 4;
/** Room a new bucket starts with; it doubles when full. */
const INITIAL_CAPACITY = 16;

export class TickBuckets<T, A extends ItemArray<T> = T[]> {
  private readonly buckets = new Map<number, Bucket<T, A>>();
  /** Min-heap of the ticks that have a bucket. */
  private times: number[] = [];
  /** The bucket added to last: a tick's sends and wake-ups mostly target one tick, so skip the lookup. */
  private lastTime = NaN;
  private lastBucket: Bucket<T, A> | undefined;
  private readonly spare: Bucket<T, A>[] = [];

  /** `allocate(n)` makes item storage with room for n items. */
  constructor(private readonly allocate: (capacity: number) => A) {}

  /** Earliest tick with a bucket, or Infinity. */
  peekTime(): number {
    return this.times.length > 0 ? this.times[0] : Infinity;
  }

  /** The earliest bucket itself (callers may compact it in place), or undefined. */
  peekBucket(): Bucket<T, A> | undefined {
    return this.times.length > 0 ? this.buckets.get(this.times[0]) : undefined;
  }

  add(time: number, item: T): void {
    // Kept this small on purpose: it is inlined into every actor step, and V8 inlines only so
    // much into one function; the lookup path is a call of its own.
    const bucket = this.lastBucket;
    if (time === this.lastTime && bucket!.size < bucket!.items.length) {
      bucket!.items[bucket!.size++] = item;
    } else {
      this.addToBucket(time, item);
    }
  }

  /** Remove the earliest bucket; its items are in the order they were added. Hand it back with `recycle`. */
  popBucket(): Bucket<T, A> {
    const at = heapPop(this.times);
    const bucket = this.buckets.get(at)!;
    this.buckets.delete(at);
    if (at === this.lastTime) this.forgetLast();
    return bucket;
  }

  /** A popped bucket is done with: keep its array for a later tick. */
  recycle(bucket: Bucket<T, A>): void {
    // Object items must not be kept alive by a spare array; numbers need no clearing.
    if (bucket.size > 0 && typeof bucket.items[0] === 'object')
      (bucket.items as unknown as T[]).fill(undefined as T, 0, bucket.size);
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
    let bucket = time === this.lastTime ? this.lastBucket : this.buckets.get(time);
    if (bucket === undefined) {
      bucket = this.spare.pop() ?? { items: this.allocate(INITIAL_CAPACITY), size: 0 };
      this.buckets.set(time, bucket);
      heapPush(this.times, time);
    }
    this.lastTime = time;
    this.lastBucket = bucket;
    if (bucket.size === bucket.items.length) {
      // Full: double the room, keeping the items (a bucket that filled once keeps its size).
      const grown = this.allocate(bucket.items.length * 2);
      for (let i = 0; i < bucket.size; i++) grown[i] = bucket.items[i];
      bucket.items = grown;
    }
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
