// Per-partition actor wake-ups, grouped by tick. A tick's wake-ups come out in actor-id order
// without a sort in the common case: a tick's actors step in id order, so the ids they schedule
// for one later tick arrive ascending. A million sleeping actors cost one Int32Array entry each
// here and nothing per tick. Entries are invalidated lazily: an entry whose time no longer
// matches its actor's wake time (it was rescheduled, woke early or stopped) is dropped when met.
import { TickBuckets } from './tick-buckets.js';

/**
 * Each actor's pending wake time by id, -1 for none (a stopped actor has none): the partition's
 * actor table. Read directly rather than through a callback: the check runs once per woken actor
 * per tick (a callback per entry measured 0.5-2.3 ns of a ~40 ns step in two A/B series).
 */
export interface WakeTimes {
  readonly wakeAt: Float64Array;
}

export class TimerQueue {
  private readonly byTick = new TickBuckets<number, Int32Array>((capacity) => new Int32Array(capacity));

  constructor(private readonly actors: WakeTimes) {}

  push(time: number, id: number): void {
    this.byTick.add(time, id);
  }

  /** Earliest tick with a live wake-up, or Infinity. Drops what it finds stale on the way. */
  nextTime(): number {
    for (;;) {
      const time = this.byTick.peekTime();
      const bucket = this.byTick.peekBucket();
      if (bucket === undefined) return Infinity;
      const ids = bucket.items;
      const wakeAt = this.actors.wakeAt;
      if (bucket.size > 0 && wakeAt[ids[0]] === time) return time;
      // Compact in place, keeping order; an empty bucket goes.
      let kept = 0;
      for (let i = 0; i < bucket.size; i++) if (wakeAt[ids[i]] === time) ids[kept++] = ids[i];
      bucket.size = kept;
      if (kept > 0) return time;
      this.byTick.recycle(this.byTick.popBucket());
    }
  }

  /**
   * The wake-ups the last takeDue took: its first n entries (the array is reused from tick to
   * tick, see tick-buckets.ts on why, and replaced when it grows).
   */
  due = new Int32Array(64);

  /**
   * Take every live wake-up due at or before `t`, as actor ids in ascending order, into the start
   * of `due`; returns how many. Taking one clears the actor's wake time, so a duplicate entry is
   * not live any more.
   */
  takeDue(t: number): number {
    let out = this.due;
    let n = 0;
    let ascending = true;
    while (this.byTick.peekTime() <= t) {
      const time = this.byTick.peekTime();
      const bucket = this.byTick.popBucket();
      const ids = bucket.items;
      if (out.length < n + bucket.size) {
        const grown = new Int32Array(Math.max(n + bucket.size, out.length * 2));
        grown.set(out.subarray(0, n));
        out = this.due = grown;
      }
      const wakeAt = this.actors.wakeAt;
      for (let i = 0; i < bucket.size; i++) {
        const id = ids[i];
        if (wakeAt[id] !== time) continue;
        wakeAt[id] = -1;
        if (n > 0 && id <= out[n - 1]) ascending = false;
        out[n++] = id;
      }
      this.byTick.recycle(bucket);
    }
    // A typed array sorts numerically, in place.
    if (!ascending) out.subarray(0, n).sort();
    return n;
  }

  clear(): void {
    this.byTick.clear();
  }
}
