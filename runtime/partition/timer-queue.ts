// Per-partition actor wake-ups, grouped by tick. A tick's wake-ups come out in actor-id order
// without a sort in the common case: a tick's actors step in id order, so the ids they schedule
// for one later tick arrive ascending. A million sleeping actors cost one array slot each here
// and nothing per tick. Entries are invalidated lazily: an entry whose time no longer matches its
// actor's wake time (it was rescheduled, woke early or stopped) is dropped when met.
import { TickBuckets } from './tick-buckets.js';

/** Is (time, id) still the actor's pending wake-up? */
export type TimerCheck = (time: number, id: number) => boolean;

export class TimerQueue {
  private readonly byTick = new TickBuckets<number>();

  constructor(private readonly isLive: TimerCheck) {}

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
      if (bucket.size > 0 && this.isLive(time, ids[0])) return time;
      // Compact in place, keeping order; an empty bucket goes.
      let kept = 0;
      for (let i = 0; i < bucket.size; i++) if (this.isLive(time, ids[i])) ids[kept++] = ids[i];
      bucket.size = kept;
      if (kept > 0) return time;
      this.byTick.recycle(this.byTick.popBucket());
    }
  }

  /**
   * Every live wake-up due at or before `t`, as actor ids in ascending order, written to the start
   * of `out` (a scratch array the caller reuses); returns how many. `claim` checks an entry and,
   * when it is live, takes it (so a duplicate entry is not live any more).
   */
  takeDue(t: number, claim: TimerCheck, out: number[]): number {
    let n = 0;
    let ascending = true;
    while (this.byTick.peekTime() <= t) {
      const time = this.byTick.peekTime();
      const bucket = this.byTick.popBucket();
      const ids = bucket.items;
      for (let i = 0; i < bucket.size; i++) {
        const id = ids[i];
        if (!claim(time, id)) continue;
        if (n > 0 && id <= out[n - 1]) ascending = false;
        out[n++] = id;
      }
      this.byTick.recycle(bucket);
    }
    if (!ascending) {
      const sorted = out.slice(0, n).sort((a, b) => a - b);
      for (let i = 0; i < n; i++) out[i] = sorted[i];
    }
    return n;
  }

  clear(): void {
    this.byTick.clear();
  }
}
