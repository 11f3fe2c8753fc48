// A message between actors (or from outside, with from = OUTSIDE). Canonical delivery order is
// (deliverAt, from, seq): total, and independent of threads and arrival order.
import type { ActorId, SimMs } from '../actor/types.js';
import { placeOfActor } from '../placement.js';

export interface Message {
  to: ActorId;
  from: ActorId;
  /** Per-sender sequence number (outside inputs: input log sequence). */
  seq: number;
  /** Sim time of the tick that delivers it (already quantised to a tick). */
  deliverAt: SimMs;
  body: unknown;
  /** Present when this carries an effect result instead of a plain message. */
  effect?: { effectId: string; ok: boolean; value: unknown };
}

/** Messages in either form: objects (inline) or a compact batch (crossing threads). */
export type Mail = Message[] | import('./message-batch.js').MessageBatch;

export function mailMinDeliverAt(mail: Mail): number {
  if (!Array.isArray(mail)) return mail.minDeliverAt;
  let min = Infinity;
  for (const m of mail) if (m.deliverAt < min) min = m.deliverAt;
  return min;
}

/**
 * Sort for delivery within one tick: by the recipient's place (its slot: the order actors step
 * in), then recipient (a reused slot's generations), then canonical order.
 */
export function compareForDelivery(a: Message, b: Message): number {
  return (
    placeOfActor(a.to) - placeOfActor(b.to) ||
    a.to - b.to ||
    a.deliverAt - b.deliverAt ||
    a.from - b.from ||
    a.seq - b.seq
  );
}

/** Below this many messages a comparison sort is cheaper than counting by recipient. */
const COUNTING_SORT_MIN = 64;
/**
 * Counting pays per recipient in the mail's id range, so it is used only when the mail is that
 * dense: at most this many recipients in the range per message.
 */
const RANGE_PER_MESSAGE_MAX = 16;

/**
 * The counts by recipient, kept from call to call. A new array per call cost more than the sort
 * where mail is sparse (bench 1: ~60 messages a tick among 62,500 actors of a partition, a 250 KB
 * array each time): fresh memory is mapped to the zero page, its first write swaps the page and
 * flushes the TLB of every core running another thread of the process, so each partition's tick
 * interrupted the other worker dozens of times (~200 flushes a tick with 2 workers).
 */
let counts = new Uint32Array(1024);

/**
 * The same order as `compareForDelivery`, faster for busy ticks: a counting sort by recipient
 * (local index within the partition), then each recipient's few messages by (deliverAt, from,
 * seq). The comparison sort of thousands of messages per tick was the top cost of messaging.
 */
export function sortForDelivery(mail: Message[], partitions: number): Message[] {
  const n = mail.length;
  if (n < COUNTING_SORT_MIN) return mail.sort(compareForDelivery);
  let minLocal = Infinity;
  let maxLocal = 0;
  for (let i = 0; i < n; i++) {
    const local = Math.floor(placeOfActor(mail[i].to) / partitions);
    if (local < minLocal) minLocal = local;
    if (local > maxLocal) maxLocal = local;
  }
  const range = maxLocal - minLocal + 1;
  if (range > n * RANGE_PER_MESSAGE_MAX) return mail.sort(compareForDelivery);
  // starts[k] ends up as where recipient minLocal + k's messages begin in `out`.
  if (counts.length < range + 1) counts = new Uint32Array(Math.max(range + 1, counts.length * 2));
  else counts.fill(0, 0, range + 1);
  const starts = counts;
  for (let i = 0; i < n; i++) starts[Math.floor(placeOfActor(mail[i].to) / partitions) - minLocal + 1]++;
  for (let k = 1; k <= range; k++) starts[k] += starts[k - 1];
  const out = new Array<Message>(n);
  for (let i = 0; i < n; i++) out[starts[Math.floor(placeOfActor(mail[i].to) / partitions) - minLocal]++] = mail[i];
  let runStart = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && placeOfActor(out[i].to) === placeOfActor(out[runStart].to)) continue;
    if (i - runStart > 1) insertionSort(out, runStart, i);
    runStart = i;
  }
  return out;
}

function insertionSort(a: Message[], from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const m = a[i];
    let j = i - 1;
    while (j >= from && compareForDelivery(a[j], m) > 0) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = m;
  }
}
