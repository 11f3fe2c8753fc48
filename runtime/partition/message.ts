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

/** Sort for delivery within one tick: by recipient, then canonical order. */
export function compareForDelivery(a: Message, b: Message): number {
  return a.to - b.to || a.deliverAt - b.deliverAt || a.from - b.from || a.seq - b.seq;
}
