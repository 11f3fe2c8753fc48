// Bench 3: the cost of dispatching an empty tick to N workers and waiting at the barrier,
// against a raw worker_threads round trip to the same number of workers in parallel.
//
// This 2-core VM drifts: the same raw round trip takes 15 µs in one minute and 60 µs in the next.
// Measuring one subject after the other compares two different machines, so the two alternate in
// short tinybench tasks and the verdict is the median of the per-round ratios.
import { Worker } from 'node:worker_threads';
import { PACKS } from '../actors/index.js';
import { Bench } from 'tinybench';
import { WorkerPoolExecutor } from '../runtime/pool/worker-pool-executor.js';
import { medianOf, printTable } from './harness.js';

const WORKERS = 2;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const echo = `require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m));`;
const raw = Array.from({ length: WORKERS }, () => new Worker(echo, { eval: true }));
const roundTrip = () =>
  Promise.all(
    raw.map(
      (w) =>
        new Promise<void>((resolve) => {
          w.once('message', () => resolve());
          w.postMessage(1);
        }),
    ),
  );

const executor = new WorkerPoolExecutor(WORKERS);
await executor.load(
  {
    runId: 'bench',
    pack: PACKS.get('workload').model,
    seed: 1,
    partitions: 16,
    tickMs: 1000,
    params: [
      ['kind', 'idle'],
      ['actors', 0],
      ['sleepMs', 1000],
    ],
  },
  undefined,
);
let t = 0;
const emptyTick = () =>
  executor.tick({
    t: (t += 1000),
    until: t,
    inbound: Array.from({ length: WORKERS }, () => []),
    params: [],
    collect: false,
  });

const bench = new Bench({ time: 200, warmup: true });
for (let round = 0; round < ROUNDS; round++) {
  // async: true, or tinybench probes each function with an extra unawaited call, and a stray
  // echo would then answer the next round trip early.
  bench.add(`raw ${round}`, roundTrip, { async: true });
  bench.add(`tick ${round}`, emptyTick, { async: true });
}
await bench.run();
const p50 = (i: number) => {
  const r = bench.tasks[i].result;
  if (!r || !('latency' in r)) throw new Error(`${bench.tasks[i].name} did not complete`);
  return r.latency.p50! * 1000;
};
const rawUs = Array.from({ length: ROUNDS }, (_, k) => p50(2 * k));
const tickUs = Array.from({ length: ROUNDS }, (_, k) => p50(2 * k + 1));
const ratios = rawUs.map((r, k) => tickUs[k] / r);
printTable(`Bench 3: empty-tick dispatch (${ROUNDS} alternating rounds of 200 ms each)`, [
  {
    what: `raw worker_threads round trip, ${WORKERS} workers in parallel (baseline)`,
    'median µs': medianOf(rawUs).toFixed(1),
    'range µs': `${Math.min(...rawUs).toFixed(0)}–${Math.max(...rawUs).toFixed(0)}`,
    'ratio (median of rounds)': '1.00',
  },
  {
    what: `tickwork empty tick, ${WORKERS} workers, 16 partitions`,
    'median µs': medianOf(tickUs).toFixed(1),
    'range µs': `${Math.min(...tickUs).toFixed(0)}–${Math.max(...tickUs).toFixed(0)}`,
    'ratio (median of rounds)': medianOf(ratios).toFixed(2),
  },
]);
console.log(`\nper-round ratios: ${ratios.map((r) => r.toFixed(2)).join(' ')}`);
console.log('target: <= 1.5x');
await executor.close();
for (const w of raw) await w.terminate();
