// The wire form of a host's tick result. Structured clone pays per object and per property, and a
// tick result is mostly numbers: ten per partition tick, plus lists that are empty on nearly every
// tick. So the numbers travel as one Float64Array and only partitions with something in their
// lists carry an object. An empty tick crosses the thread boundary as two small arrays.
import type { Mail } from '../partition/message.js';
import type { MetricDelta } from '../metrics/metric-recorder.js';
import type { HostTickResult, PartitionTickResult } from '../protocol.js';

/** Per partition tick, in this order. Digest words are uint32 and nextDue may be Infinity: both exact in a double. */
const FIELDS = 10;

type PartitionLists = Pick<PartitionTickResult, 'effects' | 'events' | 'failures' | 'escalated' | 'gauges' | 'audits'>;

export interface HostTickWire {
  numbers: Float64Array;
  /** [position in `numbers`, lists] for the partitions whose lists are not all empty. */
  lists: [number, PartitionLists][];
  mail: (Mail | undefined)[];
  metrics: MetricDelta[];
}

/** Shared by every partition without lists; the scheduler only reads them. */
const EMPTY = Object.freeze([]) as never[];

function hasLists(r: PartitionTickResult): boolean {
  return (
    r.effects.length > 0 ||
    r.events.length > 0 ||
    r.failures.length > 0 ||
    r.escalated !== undefined ||
    r.gauges !== undefined ||
    r.audits !== undefined
  );
}

export function packTickResult(result: HostTickResult): HostTickWire {
  const parts = result.partitions;
  const numbers = new Float64Array(parts.length * FIELDS);
  const lists: [number, PartitionLists][] = [];
  for (let i = 0; i < parts.length; i++) {
    const r = parts[i];
    const o = i * FIELDS;
    numbers[o] = r.index;
    numbers[o + 1] = r.digestA;
    numbers[o + 2] = r.digestB;
    numbers[o + 3] = r.steps;
    numbers[o + 4] = r.deadLetters;
    numbers[o + 5] = r.nextDue;
    numbers[o + 6] = r.actorCount;
    numbers[o + 7] = r.execUs;
    numbers[o + 8] = r.sent;
    numbers[o + 9] = r.t;
    if (hasLists(r))
      lists.push([
        i,
        {
          effects: r.effects,
          events: r.events,
          failures: r.failures,
          escalated: r.escalated,
          gauges: r.gauges,
          audits: r.audits,
        },
      ]);
  }
  return { numbers, lists, mail: result.mail, metrics: result.metrics };
}

export function unpackTickResult(wire: HostTickWire): HostTickResult {
  const { numbers } = wire;
  const partitions: PartitionTickResult[] = new Array(numbers.length / FIELDS);
  let next = 0;
  for (let i = 0; i < partitions.length; i++) {
    const o = i * FIELDS;
    const lists = next < wire.lists.length && wire.lists[next][0] === i ? wire.lists[next++][1] : undefined;
    partitions[i] = {
      index: numbers[o],
      digestA: numbers[o + 1],
      digestB: numbers[o + 2],
      steps: numbers[o + 3],
      deadLetters: numbers[o + 4],
      nextDue: numbers[o + 5],
      actorCount: numbers[o + 6],
      execUs: numbers[o + 7],
      sent: numbers[o + 8],
      t: numbers[o + 9],
      effects: lists?.effects ?? EMPTY,
      events: lists?.events ?? EMPTY,
      failures: lists?.failures ?? EMPTY,
      escalated: lists?.escalated,
      gauges: lists?.gauges,
      audits: lists?.audits,
    };
  }
  return { partitions, mail: wire.mail, metrics: wire.metrics };
}
