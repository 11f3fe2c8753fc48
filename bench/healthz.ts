// Bench 7: the control server under load (autocannon). The server (`tickwork serve`, its own
// process) is measured idle first (baseline), then while a turbo run of 100,000 citizens keeps its
// workers and its main thread busy: /healthz with 10 clients (target: p99 under 50 ms while busy),
// then 200 clients on /healthz and on the runs list (GET /api/runs), idle and busy, with errors.
import autocannon from 'autocannon';
import { printTable, startServeProcess } from './harness.js';

const SECONDS = 10;

const { url, process: server } = await startServeProcess('healthz');

async function measure(label: string, route = '/healthz', connections = 10) {
  const r = await autocannon({ url: `${url}${route}`, connections, duration: SECONDS });
  return { label, route, connections, r };
}

const idle = await measure('idle server (baseline)');
const idleCrowd = [
  await measure('idle server (baseline)', '/healthz', 200),
  await measure('idle server (baseline)', '/api/runs', 200),
];
const start = await fetch(`${url}/api/runs`, {
  method: 'POST',
  // Generic routes take application/json only.
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    scenario: 'baseline',
    seed: 42,
    pace: 'turbo',
    workers: 2,
    policies: {
      initialCitizens: 100_000,
      vendors: 5_000,
      initialVendors: 5_000,
      customerSpawnRate: 0,
      maxConcurrentAgents: 100_000,
      apiCapacityPerMin: 20_000,
      rateLimitPerMin: 100_000,
    },
  }),
});
const { runId } = (await start.json()) as { runId: string };
await new Promise((r) => setTimeout(r, 3000)); // past setup: the run is ticking
const busy = await measure('turbo run, 100k citizens, 2 workers');
const busyCrowd = [
  await measure('turbo run, 100k citizens, 2 workers', '/healthz', 200),
  await measure('turbo run, 100k citizens, 2 workers', '/api/runs', 200),
];
const status = (await (await fetch(`${url}/api/runs/${runId}`)).json()) as { status: string; simMs: number };
server.kill('SIGTERM');

const row = ({ label, route, connections, r }: Awaited<ReturnType<typeof measure>>) => ({
  server: label,
  route: `GET ${route}`,
  clients: connections,
  'req/s': r.requests.average.toFixed(0),
  'p50 ms': r.latency.p50,
  'p99 ms': r.latency.p99,
  'max ms': r.latency.max,
  errors: r.errors + r.timeouts + r.non2xx,
});
printTable(`Bench 7: autocannon, ${SECONDS} s per row`, [idle, busy, ...idleCrowd, ...busyCrowd].map(row));
console.log(
  `\nbusy p99 / idle p99: ${(busy.r.latency.p99 / Math.max(1, idle.r.latency.p99)).toFixed(1)}x (10 clients, /healthz); 200 clients, busy / idle p99: ` +
    busyCrowd
      .map((b, i) => `${b.route} ${(b.r.latency.p99 / Math.max(1, idleCrowd[i].r.latency.p99)).toFixed(1)}x`)
      .join(', '),
);
console.log(`the run was ${status.status} at sim ${(status.simMs / 3_600_000).toFixed(1)} h when measuring ended`);
