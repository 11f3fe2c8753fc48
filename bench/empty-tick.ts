// Bench 3: the cost of dispatching an empty tick to N workers and waiting at the barrier,
// against a raw worker_threads round trip to the same number of workers in parallel.
import { Worker } from 'node:worker_threads';
import { Bench } from 'tinybench';
import { WorkerPoolExecutor } from '../runtime/pool/worker-pool-executor.js';
import { printTable } from './harness.js';

const WORKERS = 2;
const echo = `require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m));`;
const raw = Array.from({ length: WORKERS }, () => new Worker(echo, { eval: true }));
const roundTrip = () =>
  Promise.all(raw.map((w) => new Promise<void>((resolve) => { w.once('message', () => resolve()); w.postMessage(1); })));

const executor = new WorkerPoolExecutor(WORKERS);
await executor.load({ runId: 'bench', pack: 'workload', seed: 1, partitions: 16, tickMs: 1000, params: [['kind', 'idle'], ['actors', 0], ['sleepMs', 1000]] }, undefined);
let t = 0;
const emptyTick = () => executor.tick({ t: (t += 1000), inbound: Array.from({ length: WORKERS }, () => []), params: [], collect: false });

const bench = new Bench({ time: 2000, warmup: true });
bench.add(`raw worker_threads round trip, ${WORKERS} workers in parallel (baseline)`, roundTrip);
bench.add(`tickwork empty tick, ${WORKERS} workers, 16 partitions`, emptyTick);
await bench.run();
// Medians as well as means: on this shared 2-core host a few descheduled round trips move the mean.
const [base, tick] = bench.tasks.map((task) => {
  const r = task.result;
  if (!r || !('latency' in r)) throw new Error(`${task.name} did not complete`);
  return { mean: r.latency.mean * 1000, p50: r.latency.p50! * 1000 };
});
printTable('Bench 3: empty-tick dispatch', [
  { what: bench.tasks[0].name, 'mean µs': base.mean.toFixed(1), 'median µs': base.p50.toFixed(1), 'ratio (median)': '1.00' },
  { what: bench.tasks[1].name, 'mean µs': tick.mean.toFixed(1), 'median µs': tick.p50.toFixed(1), 'ratio (median)': (tick.p50 / base.p50).toFixed(2) },
]);
console.log('\ntarget: <= 1.5x');
await executor.close();
for (const w of raw) await w.terminate();
