// Bench 2: 1M messages among 10k actors in 16 partitions, mostly across partitions and workers,
// against xstate v5 actors doing the same work (each event forwarded to a random actor until its
// hop budget is spent) in the same run.
import { createActor, setup } from 'xstate';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { fmt, printTable, timedRun, workloadScenario } from './harness.js';

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
  for (let i = 0; i < ACTORS; i++) for (let k = 0; k < MESSAGES_EACH; k++) queue.push([uniformInt(rng, 0, ACTORS - 1), HOPS]);
  for (let q = 0; q < queue.length; q++) actors[queue[q][0]].send({ type: 'hop', left: queue[q][1] });
  const ms = performance.now() - started;
  return delivered / (ms / 1000);
}

const xs = xstateBaseline();
const rows: Record<string, string>[] = [{ what: 'xstate v5 actors, 1 thread (baseline)', 'messages/s': fmt(xs), ratio: '1.00' }];
for (const workers of [0, 1, 2]) {
  const sc = workloadScenario({ kind: 'chatter', actors: ACTORS, messagesEach: MESSAGES_EACH, hops: HOPS }, 60, 1000, 16);
  const { summary, wallMs } = await timedRun(sc, workers);
  const rate = summary.messages / (wallMs / 1000);
  rows.push({ what: `tickwork workers=${workers} (${fmt(summary.messages, 1)} messages, ${summary.ticks} ticks)`, 'messages/s': fmt(rate), ratio: (rate / xs).toFixed(2) });
}
printTable('Bench 2: messaging, 10k actors, 16 partitions, 1M messages', rows);
console.log('\ntarget: tickwork >= 10x xstate v5');
