// Bench 9: Deal Flight. (a) `/quote simulate` with 3 variants end to end over HTTP against
// `tickwork serve` (its own process, a real SQLite file): latency per request, beside GET /healthz
// on the same server as the baseline (the HTTP floor), the two alternating request by request.
// Target: p95 at most 10 ms (the runbook's KPI is 800 ms). (b) Variants priced per second, inline
// on one thread (baseline, the desk's default) against one pool job per variant
// (DEALFLIGHT_PRICING=pool), in alternating tinybench rounds.
import { Bench } from 'tinybench';
import { SAMPLE_CATALOGUE } from '../actors/dealflight/domain/cpq/sample-catalogue.js';
import { SAMPLE_QUOTES } from '../actors/dealflight/domain/cpq/sample-quotes.js';
import { poolEvaluator } from '../actors/dealflight/domain/desk/pool-evaluator.js';
import { parseSimulate } from '../actors/dealflight/domain/simulator/grammar.js';
import { evaluateInline } from '../actors/dealflight/domain/simulator/simulate.js';
import { evaluateBase } from '../actors/dealflight/domain/simulator/variants.js';
import { fmt, medianOf, percentileOf, printTable, startServeProcess } from './harness.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);

// (a) over HTTP
const { url, process: server } = await startServeProcess('dealflight');
const body = JSON.stringify({
  text: 'simulate Q-1002 discount=25% | qty seats=1000, term=24 | add support-premium, discount=12%',
});
async function timed(send: () => Promise<Response>): Promise<number> {
  const started = performance.now();
  const res = await send();
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return performance.now() - started;
}
const simulate = () =>
  fetch(`${url}/api/dealflight/simulate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
const healthz = () => fetch(`${url}/healthz`);
for (let i = 0; i < 200; i++) await Promise.all([timed(simulate), timed(healthz)]); // warm-up: JIT, the pool's threads
const simMs: number[] = [];
const healthMs: number[] = [];
for (let i = 0; i < REQUESTS; i++) {
  healthMs.push(await timed(healthz));
  simMs.push(await timed(simulate));
}
server.kill('SIGTERM');
const httpRow = (what: string, xs: number[], base: number[]) => ({
  what,
  'p50 ms': percentileOf(xs, 50).toFixed(2),
  'p95 ms': percentileOf(xs, 95).toFixed(2),
  'p99 ms': percentileOf(xs, 99).toFixed(2),
  'max ms': Math.max(...xs).toFixed(2),
  'p95 ratio': (percentileOf(xs, 95) / percentileOf(base, 95)).toFixed(2),
});
printTable(
  `Bench 9a: Deal Flight over HTTP, ${REQUESTS} sequential requests each, alternating (tickwork serve, SQLite file)`,
  [
    httpRow('GET /healthz (baseline)', healthMs, healthMs),
    httpRow('POST /api/dealflight/simulate, 3 variants (priced, recorded, audited: one commit)', simMs, healthMs),
  ],
);
console.log(
  `\nsimulate p95 ${percentileOf(simMs, 95).toFixed(2)} ms: target <= 10 ms; ${(800 / percentileOf(simMs, 95)).toFixed(0)}x under the runbook's 800 ms KPI`,
);

// (b) variants priced per second
const quote = SAMPLE_QUOTES[1];
const baseEval = evaluateBase(SAMPLE_CATALOGUE, quote);
const command = parseSimulate(
  'simulate Q-1002 discount=25% | qty seats=1000, term=24 | add support-premium, discount=12%',
  { maxVariants: 3, maxChangesPerVariant: 8 },
);
const BATCH = 300;
const catalogueJson = JSON.stringify(SAMPLE_CATALOGUE);
const jobs = Array.from({ length: BATCH }, (_, i) => ({
  catalogueJson,
  base: quote,
  baseEval,
  variant: { ...command.variants[i % 3], key: `v${i}` },
}));
const bench = new Bench({ time: 300, warmup: true });
for (let round = 0; round < ROUNDS; round++) {
  bench.add(`inline ${round}`, () => void evaluateInline(jobs));
  bench.add(`pool ${round}`, async () => void (await poolEvaluator(jobs)), { async: true });
}
await bench.run();
const perSecond = (i: number) => {
  const r = bench.tasks[i].result;
  if (!r || !('latency' in r)) throw new Error(`${bench.tasks[i].name} did not complete`);
  return (BATCH / r.latency.p50!) * 1000;
};
const inline = Array.from({ length: ROUNDS }, (_, k) => perSecond(2 * k));
const pool = Array.from({ length: ROUNDS }, (_, k) => perSecond(2 * k + 1));
printTable(`Bench 9b: variants priced per second, batches of ${BATCH} (${ROUNDS} alternating rounds of 300 ms each)`, [
  {
    what: 'inline, main thread (baseline; the default)',
    'variants/s (median)': fmt(medianOf(inline)),
    'ratio (median of rounds)': '1.00',
  },
  {
    what: 'one pool job per variant (DEALFLIGHT_PRICING=pool)',
    'variants/s (median)': fmt(medianOf(pool)),
    'ratio (median of rounds)': medianOf(pool.map((p, k) => p / inline[k])).toFixed(2),
  },
]);
process.exit(0);
