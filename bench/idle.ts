// Bench 4: idle time is free. (a) memory per sleeping actor with 1M actors; (b) a 7-sim-day
// soak with sparse activity costs time in proportion to its work, not its ticks.
import { PartitionHost } from '../runtime/worker/partition-host.js';
import { PACKS } from '../actors/index.js';
import { collectGarbage, fmt, printTable, timedRun, workloadScenario } from './harness.js';

const ACTORS = 1_000_000;
// The JS heap and the ArrayBuffers beside it: an actor's bookkeeping lives in typed-array columns
// and timer buckets, whose bytes are outside the heap (process.memoryUsage().arrayBuffers).
const memory = () => {
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
};
collectGarbage();
const before = memory();
const host = new PartitionHost();
await host.load({
  runId: 'bench',
  pack: PACKS.get('workload').model,
  seed: 1,
  partitions: 16,
  tickMs: 1000,
  hosts: 1,
  indices: Array.from({ length: 16 }, (_, i) => i),
  params: [
    ['kind', 'idle'],
    ['actors', ACTORS],
    ['sleepMs', 7 * 86_400_000],
  ],
  snapshots: undefined,
});
host.tick({ t: 0, until: 0, inbound: [], params: [], collect: false }); // every actor starts and goes to sleep for a week
collectGarbage();
const after = memory();
const heapPerActor = (after.heap - before.heap) / ACTORS;
const buffersPerActor = (after.buffers - before.buffers) / ACTORS;
const perActor = heapPerActor + buffersPerActor;

// 7 sim days at 1 s ticks is 604,800 ticks; 1,000 actors each wake once a sim hour.
const soak = workloadScenario({ kind: 'pulse', actors: 1000, stepEveryMs: 3_600_000 }, 7 * 24 * 60, 1000);
// The same work packed into one sim day of 1 s ticks: the cost should follow steps, not ticks.
const dense = workloadScenario({ kind: 'pulse', actors: 1000, stepEveryMs: Math.round(3_600_000 / 7) }, 24 * 60, 1000);
// Both are timed over their tick loops, on a worker thread that an untimed run has started and
// warmed: otherwise whichever runs first pays the thread's start-up and JIT warm-up alone.
await timedRun(dense, 1);
const { summary, loopMs: wallMs } = await timedRun(soak, 1);
const { summary: denseSummary, loopMs: denseMs } = await timedRun(dense, 1);
const denseRun = { summary: denseSummary, wallMs: denseMs };

printTable('Bench 4: idle time is free', [
  {
    what: `memory per sleeping actor (${fmt(ACTORS, 0)} actors, inline): JS heap + ArrayBuffers`,
    value: `${perActor.toFixed(0)} bytes (${heapPerActor.toFixed(0)} + ${buffersPerActor.toFixed(0)})`,
    target: '<= 300 bytes',
  },
  { what: '7-day soak: sim ticks in the span', value: String(7 * 86_400), target: '' },
  { what: '7-day soak: ticks executed', value: String(summary.ticks), target: 'only ticks with work' },
  { what: '7-day soak: tick loop wall time', value: `${wallMs.toFixed(0)} ms`, target: 'proportional to work' },
  { what: '7-day soak: steps', value: String(summary.steps), target: '' },
  {
    what: 'same steps packed in 1 sim day (baseline): tick loop wall time',
    value: `${denseRun.wallMs.toFixed(0)} ms (${denseRun.summary.steps} steps)`,
    target: '',
  },
  { what: 'soak wall / baseline wall', value: (wallMs / denseRun.wallMs).toFixed(2), target: '~1 (time follows work)' },
]);
