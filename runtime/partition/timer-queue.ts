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
      if (bucket.length > 0 && this.isLive(time, bucket[0])) return time;
      // Compact in place, keeping order; an empty bucket goes.
      let kept = 0;
      for (let i = 0; i < bucket.length; i++) if (this.isLive(time, bucket[i])) bucket[kept++] = bucket[i];
      bucket.length = kept;
      if (kept > 0) return time;
      this.byTick.popBucket();
    }
  }

  /**
   * Every live wake-up due at or before `t`, as actor ids in ascending order. `claim` checks an
   * entry and, when it is live, takes it (so a duplicate entry is not live any more).
   */
  takeDue(t: number, claim: TimerCheck): number[] {
    const ids: number[] = [];
    let ascending = true;
    while (this.byTick.peekTime() <= t) {
      const time = this.byTick.peekTime();
      const bucket = this.byTick.popBucket();
      for (let i = 0; i < bucket.length; i++) {
        const id = bucket[i];
        if (!claim(time, id)) continue;
        if (ids.length > 0 && id <= ids[ids.length - 1]) ascending = false;
        ids.push(id);
      }
    }
    if (!ascending) ids.sort((a, b) => a - b);
    return ids;
  }

  clear(): void {
    this.byTick.clear();
  }
}
