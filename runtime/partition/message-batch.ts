// Compact encoding of a batch of messages for crossing threads. Structured clone of an array of
// small objects moves ~0.7M objects/s here; columns of numbers in transferred typed arrays move
// an order of magnitude more. Numeric bodies (the common case in hot workloads) stay in the
// columns; any other body rides in a side array.
import type { Message } from './message.js';

export interface MessageBatch {
  readonly count: number;
  /** to, from, seq, deliverAt per message. */
  readonly header: Float64Array;
  /** Numeric body, when kinds[i] is BODY_NUMBER. */
  readonly numbers: Float64Array;
  readonly kinds: Uint8Array;
  /** Non-numeric bodies and effect results, by message index; null when there are none. */
  readonly others: Record<number, { body: unknown; effect?: Message['effect'] }> | null;
  /** Earliest deliverAt in the batch. */
  readonly minDeliverAt: number;
}

const BODY_NUMBER = 0;
const BODY_OTHER = 1;

/** Encode the messages of several arrays (a partition's outbound batches) as one batch, in order. */
export function encodeBatch(segments: readonly (readonly Message[])[]): MessageBatch {
  let n = 0;
  for (const seg of segments) n += seg.length;
  // One buffer for all three columns: one allocation, one transfer.
  const buffer = new ArrayBuffer(5 * 8 * n + n);
  const header = new Float64Array(buffer, 0, 4 * n);
  const numbers = new Float64Array(buffer, 4 * 8 * n, n);
  const kinds = new Uint8Array(buffer, 5 * 8 * n, n);
  let others: MessageBatch['others'] = null;
  let minDeliverAt = Infinity;
  let i = 0;
  for (const seg of segments) {
    for (let k = 0; k < seg.length; k++, i++) {
      const m = seg[k];
      const h = 4 * i;
      header[h] = m.to;
      header[h + 1] = m.from;
      header[h + 2] = m.seq;
      header[h + 3] = m.deliverAt;
      if (m.deliverAt < minDeliverAt) minDeliverAt = m.deliverAt;
      if (typeof m.body === 'number' && m.effect === undefined) {
        numbers[i] = m.body;
      } else {
        kinds[i] = BODY_OTHER;
        (others ??= {})[i] = m.effect === undefined ? { body: m.body } : { body: m.body, effect: m.effect };
      }
    }
  }
  return { count: n, header, numbers, kinds, others, minDeliverAt };
}

/** Decode every message of a batch, handing each to `take` (no intermediate array). */
export function decodeBatch(batch: MessageBatch, take: (m: Message) => void): void {
  const { header, numbers, kinds, others } = batch;
  for (let i = 0; i < batch.count; i++) {
    const h = 4 * i;
    const m: Message = {
      to: asSent(header[h]),
      from: asSent(header[h + 1]),
      seq: asSent(header[h + 2]),
      deliverAt: asSent(header[h + 3]),
      body: undefined,
    };
    if (kinds[i] === BODY_NUMBER) m.body = asSent(numbers[i]);
    else {
      const o = others![i];
      m.body = o.body;
      if (o.effect) m.effect = o.effect;
    }
    take(m);
  }
}

/**
 * A number read from a Float64Array is a boxed double even when it holds an integer, while the
 * sender's integers were small integers (Smis). Handed to an actor as is, one such body added to
 * a state field turns that field into a double field for every object of its shape: in bench 1
 * the steppers' state, after the first message from the other worker, each step then reading and
 * writing a boxed number (47 ns a step per worker against 38 with the same partitions and no
 * mail crossing). Integers in int32 range come back as the small integers they were sent as; -0,
 * fractions and larger integers stay doubles, as they were.
 */
function asSent(v: number): number {
  const i = v | 0;
  return i === v && (i !== 0 || 1 / v > 0) ? i : v;
}

/** Below this size a batch is copied with its message: cheaper than detaching and re-wrapping a buffer. */
const TRANSFER_MIN_BYTES = 64 * 1024;

/** The buffers to transfer (not copy) when posting batches: the large ones. */
export function batchBuffers(batches: readonly MessageBatch[], into: ArrayBuffer[]): void {
  for (const b of batches)
    if (b.header.buffer.byteLength >= TRANSFER_MIN_BYTES) into.push(b.header.buffer as ArrayBuffer);
}
