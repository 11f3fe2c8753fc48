// Bench 2: 1M messages among 10k actors in 16 partitions, mostly across partitions and workers,
// against xstate v5 actors doing the same work (each event forwarded to a random actor until its
// hop budget is spent) in the same run.
import { createActor, setup } from 'xstate';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { fmt, medianOf, printTable, timedRun, workloadScenario } from './harness.js';

const ACTORS = 10_000;
const HOPS = 20;
const MESSAGES_EACH = 5; // 10k actors x 5 messages x 20 hops = 1M messages

function xstateBaseline(): number {
  const rng = xoroshiro128plus(1);
  const actors: { send: (e: { type: 'hop'; left: number }) => void }[] = [];
  let delivered = 0;
  const machine = setup({ types: { events: {} as { type: 'hop'; left: number } } }).createMachine({
    on: {
      hop: {
        actions: ({ event }) => {
          delivered++;
          // Forward asynchronously through a queue, as the actors' own mailboxes would.
          if (event.left > 1) queue.push([uniformInt(rng, 0, ACTORS - 1), event.left - 1]);
        },
      },
    },
  });
  const queue: [number, number][] = [];
  for (let i = 0; i < ACTORS; i++) actors.push(createActor(machine).start());
  const started = performance.now();
  for (let i = 0; i < ACTORS; i++)
    for (let k = 0; k < MESSAGES_EACH; k++) queue.push([uniformInt(rng, 0, ACTORS - 1), HOPS]);
  for (let q = 0; q < queue.length; q++) actors[queue[q][0]].send({ type: 'hop', left: queue[q][1] });
  const ms = performance.now() - started;
  return delivered / (ms / 1000);
}

// Rounds alternate the baseline and every tickwork configuration, so a drift of this shared host
// hits both sides of each ratio; the table shows each row's median over the rounds. Like the
// baseline on the main thread, tickwork's worker threads are cold in the first round only: runs
// hand their threads on to the next run (runtime/pool/warm-threads.ts).
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WORKER_COUNTS = [0, 1, 2];
const baseline: number[] = [];
const rates = new Map<number, number[]>(WORKER_COUNTS.map((w) => [w, []]));
const ratios = new Map<number, number[]>(WORKER_COUNTS.map((w) => [w, []]));
let delivered = { messages: 0, ticks: 0 };
for (let round = 0; round < ROUNDS; round++) {
  const xs = xstateBaseline();
  baseline.push(xs);
  for (const workers of WORKER_COUNTS) {
    const sc = workloadScenario(
      { kind: 'chatter', actors: ACTORS, messagesEach: MESSAGES_EACH, hops: HOPS },
      60,
      1000,
      16,
    );
    // Tick loop only: like the baseline's clock, it starts after the actors exist.
    const { summary, loopMs } = await timedRun(sc, workers);
    const rate = summary.messages / (loopMs / 1000);
    delivered = { messages: summary.messages, ticks: summary.ticks };
    rates.get(workers)!.push(rate);
    ratios.get(workers)!.push(rate / xs);
  }
}
const rows: Record<string, string>[] = [
  {
    what: 'xstate v5 actors, 1 thread (baseline)',
    'messages/s': fmt(medianOf(baseline)),
    'ratio (median of rounds)': '1.00',
    'ratio per round': '',
  },
];
for (const workers of WORKER_COUNTS) {
  rows.push({
    what: `tickwork workers=${workers} (${fmt(delivered.messages, 1)} messages, ${delivered.ticks} ticks)`,
    'messages/s': fmt(medianOf(rates.get(workers)!)),
    'ratio (median of rounds)': medianOf(ratios.get(workers)!).toFixed(2),
    'ratio per round': ratios
      .get(workers)!
      .map((r) => r.toFixed(1))
      .join(' '),
  });
}
printTable(`Bench 2: messaging, 10k actors, 16 partitions, 1M messages (${ROUNDS} rounds)`, rows);
console.log('\ntarget: tickwork >= 10x xstate v5');
