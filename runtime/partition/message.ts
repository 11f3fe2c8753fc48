// A message between actors (or from outside, with from = OUTSIDE). Canonical delivery order is
// (deliverAt, from, seq): total, and independent of threads and arrival order.
import type { ActorId, SimMs } from '../actor/types.js';

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

export function mailCount(mail: Mail): number {
  return Array.isArray(mail) ? mail.length : mail.count;
}

export function mailMinDeliverAt(mail: Mail): number {
  if (!Array.isArray(mail)) return mail.minDeliverAt;
  let min = Infinity;
  for (const m of mail) if (m.deliverAt < min) min = m.deliverAt;
  return min;
}

/** Sort for delivery within one tick: by recipient, then canonical order. */
export function compareForDelivery(a: Message, b: Message): number {
  return a.to - b.to || a.deliverAt - b.deliverAt || a.from - b.from || a.seq - b.seq;
}
