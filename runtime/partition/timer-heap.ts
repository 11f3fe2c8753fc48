// Per-partition timer heap: (wake time, actor id) pairs in two parallel arrays, so a million
// sleeping actors cost 16 bytes each here and nothing per tick. Entries are invalidated lazily:
// the partition drops a popped entry whose time no longer matches its actor's wakeAt.

export class TimerHeap {
  private times: number[] = [];
  private ids: number[] = [];

  get size(): number {
    return this.times.length;
  }

  /** Earliest wake time, or Infinity when empty. */
  peekTime(): number {
    return this.times.length > 0 ? this.times[0] : Infinity;
  }

  peekId(): number {
    return this.ids[0];
  }

  push(time: number, id: number): void {
    const times = this.times;
    const ids = this.ids;
    let i = times.length;
    times.push(time);
    ids.push(id);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(times[i], ids[i], times[parent], ids[parent])) break;
      swap(times, ids, i, parent);
      i = parent;
    }
  }

  pop(): void {
    const times = this.times;
    const ids = this.ids;
    const last = times.length - 1;
    if (last < 0) return;
    times[0] = times[last];
    ids[0] = ids[last];
    times.pop();
    ids.pop();
    const n = times.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && less(times[l], ids[l], times[m], ids[m])) m = l;
      if (r < n && less(times[r], ids[r], times[m], ids[m])) m = r;
      if (m === i) break;
      swap(times, ids, i, m);
      i = m;
    }
  }

  clear(): void {
    this.times = [];
    this.ids = [];
  }
}

function less(ta: number, ia: number, tb: number, ib: number): boolean {
  return ta < tb || (ta === tb && ia < ib);
}

function swap(times: number[], ids: number[], i: number, j: number): void {
  const t = times[i];
  times[i] = times[j];
  times[j] = t;
  const d = ids[i];
  ids[i] = ids[j];
  ids[j] = d;
}
