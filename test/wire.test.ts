// The compact wire form of a host's tick result: whatever goes in comes out, across a real clone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { packTickResult, unpackTickResult } from '../runtime/worker/tick-result-wire.js';
import type { HostTickResult, PartitionTickResult } from '../runtime/protocol.js';
import { serialize } from 'node:v8';
import { decodeBatch, encodeBatch } from '../runtime/partition/message-batch.js';
import type { Message } from '../runtime/partition/message.js';

const partition = (index: number, extra: Partial<PartitionTickResult> = {}): PartitionTickResult => ({
  t: 1000 + index * 10,
  index,
  digestA: 0xfffffff0 - index,
  digestB: index * 7919,
  steps: index * 3,
  sent: index * 2,
  deadLetters: index % 2,
  nextDue: index === 2 ? Infinity : 1000 * index,
  actorCount: 10 + index,
  execUs: 0.25 * index,
  effects: [],
  events: [],
  failures: [],
  escalated: undefined,
  gauges: undefined,
  audits: undefined,
  ...extra,
});

test('a tick result survives its wire form, lists and all', () => {
  const failure = { actorId: 9, kind: 'k', policy: 'escalate' as const, message: 'boom' };
  const result: HostTickResult = {
    partitions: [
      partition(0),
      partition(2, { events: [{ actorId: 2, type: 'x', data: { a: 1 }, simMs: 5 }] }),
      partition(4),
      partition(6, { failures: [failure], escalated: failure, gauges: { g: 1.5 }, audits: [{ part: true }] }),
      partition(8, { effects: [{ effectId: 'e1', actorId: 8, kind: 'http', request: { url: 'u' } }] }),
    ],
    mail: [undefined, [{ to: 1, from: 8, seq: 0, deliverAt: 2000, body: 'hi' }]],
    metrics: [],
  };
  const back = unpackTickResult(structuredClone(packTickResult(result)));
  assert.equal(back, result);
});

test('an empty tick carries no per-partition objects', () => {
  const wire = packTickResult({ partitions: [partition(0), partition(1)], mail: [undefined], metrics: [] });
  assert.is(wire.lists.length, 0);
  assert.is(wire.numbers.length, 20); // ten numbers per partition tick
});

test('message batches: several outbound arrays encode as one batch and decode in order, bodies of every kind', () => {
  const a: Message[] = [
    { to: 3, from: 1, seq: 0, deliverAt: 2000, body: 7.5 },
    { to: 5, from: 1, seq: 1, deliverAt: 3000, body: { slot: 'x', n: [1, 2] } },
  ];
  const b: Message[] = [
    { to: 7, from: 2, seq: 4, deliverAt: 1000, body: 'text' },
    {
      to: 9,
      from: 2,
      seq: 5,
      deliverAt: 2000,
      body: undefined,
      effect: { effectId: '2:5', ok: false, value: 'timeout' },
    },
    { to: 11, from: 2, seq: 6, deliverAt: 2000, body: -3 },
  ];
  const batch = structuredClone(encodeBatch([a, [], b]));
  assert.is(batch.count, 5);
  assert.is(batch.minDeliverAt, 1000);
  const out: Message[] = [];
  decodeBatch(batch, (m) => out.push(m));
  assert.equal(out, [...a, ...b]);
});

// v8.serialize writes a small integer as int32 ('I') and any other number as a double ('N'): the
// way to see which of the two a value is without --allow-natives-syntax.
const representation = (v: number) => (serialize(v)[2] === 0x49 ? 'smi' : 'double');

test('message batches: numbers come back in the representation they were sent in', () => {
  const sent: Message[] = [
    { to: 3, from: 1, seq: 0, deliverAt: 2000, body: 1 },
    { to: 5, from: 2147483647, seq: 7, deliverAt: 8589934592, body: -0 },
    { to: 7, from: 4, seq: 2, deliverAt: 0, body: 0.5 },
    { to: 9, from: 4, seq: 3, deliverAt: 1000, body: -2147483648 },
  ];
  const out: Message[] = [];
  decodeBatch(structuredClone(encodeBatch([sent])), (m) => out.push(m));
  // Each field straight into representation(): gathered into an array of numbers first, they
  // would all be read back as doubles from the array's double storage.
  // Integers an actor sends come back as small integers; read back as doubles, one added to a
  // state field would turn that field into a boxed double for every actor of the kind. (Only the
  // body is asserted: the runtime's own fields live in a shared map whose field representation
  // V8 may widen to double after other batches, differently by run.)
  const kindOf = (v: number) =>
    Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31 && !Object.is(v, -0) ? 'smi' : 'double';
  assert.equal(
    out.map((m) => representation(m.body as number)),
    sent.map((m) => kindOf(m.body as number)),
  );
  assert.ok(Object.is(out[1].body, -0));
});

test.run();
