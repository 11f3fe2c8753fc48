// A partition's pending messages, ordered by delivery time (binary heap). Messages for future
// ticks wait here; the partition reports the earliest one as part of its next due time.
import type { Message } from './message.js';

export class Mailbox {
  private heap: Message[] = [];

  get size(): number {
    return this.heap.length;
  }

  peekTime(): number {
    return this.heap.length > 0 ? this.heap[0].deliverAt : Infinity;
  }

  push(m: Message): void {
    const h = this.heap;
    let i = h.length;
    h.push(m);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p].deliverAt <= m.deliverAt) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = m;
  }

  /** Remove and return every message due at or before `t` (unordered). */
  takeDue(t: number, out: Message[]): void {
    const h = this.heap;
    while (h.length > 0 && h[0].deliverAt <= t) {
      out.push(h[0]);
      const last = h.pop()!;
      if (h.length === 0) break;
      let i = 0;
      const n = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && h[r].deliverAt < h[l].deliverAt ? r : l;
        if (h[c].deliverAt >= last.deliverAt) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
  }

  /** Every pending message, in no particular order (snapshots, reporters). */
  all(): readonly Message[] {
    return this.heap;
  }

  clear(): void {
    this.heap = [];
  }
}
