// Delivery order, timers and RNG streams, observed through the probe pack's telemetry.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runIt, scenario } from './helpers.js';
import { compareForDelivery, sortForDelivery, type Message } from '../runtime/partition/message.js';
import { TimerQueue } from '../runtime/partition/timer-queue.js';

const probe = (actors: unknown[], extra: Record<string, unknown> = {}) =>
  scenario({ pack: 'probe', tickMs: 100, partitions: 4, policies: { 'probe.actors': actors }, ...extra });

test('messages are delivered in canonical order (deliverAt, from, seq) whatever the worker count', async () => {
  // Actor 0 records; actors 1..3 each send 6 messages with mixed delays.
  const actors = [
    { kind: 'recorder' },
    { kind: 'sender', args: { to: 0, count: 6, delays: [500, 0, 250] } },
    { kind: 'sender', args: { to: 0, count: 6, delays: [0, 500] } },
    { kind: 'sender', args: { to: 0, count: 6, delays: [250] } },
  ];
  const seen: string[][] = [];
  for (const workers of [0, 2]) {
    const { events } = await runIt(probe(actors), { workers });
    const received = events
      .filter((e) => e.type === 'received')
      .map((e) => e.data as { from: number; at: number; body: { k: number } });
    assert.is(received.length, 18);
    for (let i = 1; i < received.length; i++) {
      const a = received[i - 1];
      const b = received[i];
      const ordered = a.at < b.at || (a.at === b.at && (a.from < b.from || (a.from === b.from && a.body.k < b.body.k)));
      assert.ok(ordered, `out of order at ${i}: ${JSON.stringify(a)} then ${JSON.stringify(b)}`);
    }
    // Zero delay still means the next tick: nothing is delivered in the tick it was sent.
    assert.ok(received.every((r) => r.at >= 100));
    seen.push(received.map((r) => `${r.at}/${r.from}/${r.body.k}`));
  }
  assert.equal(seen[0], seen[1]);
});

test('timers fire at the requested tick and idle time is skipped, not ticked', async () => {
  const times = [1000, 60_000, 600_000, 1_200_000];
  const { events, summary } = await runIt(
    probe([{ kind: 'sleeper', args: { times } }], { duration: { simMinutes: 30 } }),
  );
  const woke = events.filter((e) => e.type === 'woke').map((e) => (e.data as { at: number }).at);
  assert.equal(woke, times);
  // 30 sim minutes at 100 ms per tick is 18,000 ticks; only the ticks with work run.
  assert.ok(summary.ticks <= times.length + 1, `ran ${summary.ticks} ticks`);
  assert.is(summary.simTimeMs, 30 * 60_000);
});

test('each actor has its own RNG stream: its draws do not depend on other actors or on partitioning', async () => {
  const draws = (actors: unknown[], partitions: number) =>
    runIt(probe(actors, { partitions }), { seed: 99 }).then(({ events }) =>
      Object.fromEntries(
        events.filter((e) => e.type === 'draws').map((e) => [e.actorId, (e.data as { values: number[] }).values]),
      ),
    );
  const alone = await draws(
    [
      { kind: 'rng-reporter', args: { draws: 5 } },
      { kind: 'rng-reporter', args: { draws: 5 } },
    ],
    4,
  );
  const crowded = await draws(
    [
      { kind: 'rng-reporter', args: { draws: 5 } },
      { kind: 'rng-reporter', args: { draws: 5 } },
      { kind: 'rng-reporter', args: { draws: 50 } },
    ],
    4,
  );
  assert.equal(crowded[0], alone[0]);
  assert.equal(crowded[1], alone[1]);
  assert.not.equal(alone[0], alone[1], 'two actors draw different streams');
  const otherSeed = await runIt(probe([{ kind: 'rng-reporter', args: { draws: 5 } }]), { seed: 100 });
  assert.not.equal(
    (otherSeed.events[0].data as { values: number[] }).values,
    alone[0],
    'the run seed feeds the stream',
  );
});

test('busy ticks: the counting sort by recipient gives exactly the canonical order', () => {
  // Deterministic pseudo-random messages: many recipients, several per recipient, mixed senders.
  let x = 12345;
  const next = (mod: number) => (x = (x * 1103515245 + 12345) % 2147483648) % mod;
  for (const n of [10, 64, 65, 500, 5000]) {
    const partitions = 16;
    const mail: Message[] = Array.from({ length: n }, () => ({
      to: next(300) * partitions + 3,
      from: next(40),
      seq: next(1000),
      deliverAt: 1000 * (1 + next(3)),
      body: null,
    }));
    const expected = [...mail].sort(compareForDelivery);
    assert.equal(sortForDelivery([...mail], partitions), expected, `n=${n}`);
  }
  // Recipients far from id 0, and mail too sparse in its id range to count: both orders hold.
  for (const [n, first, range] of [
    [700, 5000, 300],
    [100, 0, 60_000],
    [80, 0, 100],
  ]) {
    const mail: Message[] = Array.from({ length: n }, () => ({
      to: (first + next(range)) * 16 + 5,
      from: next(7),
      seq: next(50),
      deliverAt: 1000,
      body: null,
    }));
    assert.equal(sortForDelivery([...mail], 16), [...mail].sort(compareForDelivery), `n=${n} from ${first}`);
  }
});

test('timer queue: wake-ups come out due, live and in id order; stale ones are skipped', () => {
  // The live wake time per actor id, as a partition's actor table keeps it; -1 = none.
  const actors = { wakeAt: new Float64Array(16).fill(-1) };
  const q = new TimerQueue(actors);
  const schedule = (id: number, t: number) => {
    actors.wakeAt[id] = t;
    q.push(t, id);
  };
  schedule(9, 2000);
  schedule(3, 2000);
  schedule(7, 1000);
  schedule(5, 2000);
  schedule(7, 3000); // rescheduled: the 1000 entry is stale
  schedule(1, 1000);
  actors.wakeAt[1] = -1; // woke early: its entry is stale too
  assert.is(q.nextTime(), 2000, 'the stale bucket at 1000 is skipped');
  const n = q.takeDue(2000);
  assert.equal([...q.due.subarray(0, n)], [3, 5, 9], 'added out of order, returned in id order');
  assert.equal(
    [3, 5, 9].map((id) => actors.wakeAt[id]),
    [-1, -1, -1],
    'taking a wake-up clears it',
  );
  assert.is(actors.wakeAt[7], 3000, 'a later wake-up stays');
  assert.is(q.nextTime(), 3000);
  schedule(4, 3000);
  schedule(4, 3000); // the same wake-up twice: taken once
  q.due.fill(-1); // the array is reused: only its first n entries count
  assert.equal([...q.due.subarray(0, q.takeDue(5000))], [4, 7]);
  assert.is(q.nextTime(), Infinity);
});

test('timer queue: buckets and the due list grow past their first size and keep every entry', () => {
  const actors = { wakeAt: new Float64Array(1300).fill(-1) };
  const q = new TimerQueue(actors);
  // 500 wake-ups in one tick, added in descending id order, plus 300 in the next tick.
  for (let id = 499; id >= 0; id--) q.push((actors.wakeAt[id] = 1000), id);
  for (let id = 1000; id < 1300; id++) q.push((actors.wakeAt[id] = 2000), id);
  const n = q.takeDue(1000);
  assert.equal(
    [...q.due.subarray(0, n)],
    Array.from({ length: 500 }, (_, i) => i),
  );
  assert.equal(
    [...q.due.subarray(0, q.takeDue(2000))],
    Array.from({ length: 300 }, (_, i) => 1000 + i),
  );
});

test.run();
