// Bench 13: a sweep of 32 SimCity baseline seeds, `tickwork sweep --parallel 2` against
// `--parallel 1` on the same host in the same run (target: at least 1.8x on 2 cores). Each run is
// its own process, so the speedup is what two cores give when nothing is shared but the store
// file. Runs are cut to 4 sim hours (BENCH_SWEEP_DURATION) so the bench takes about two minutes;
// the digests of the two sweeps must agree seed by seed (parallelism never changes a run).
// Then the fleet's overhead: the same sweep through NATS JetStream (`sweep --nats`) to one
// `tickwork agent --parallel 2` on this host, against the local `--parallel 2` (target: < 5% per
// job): publishing, pulling, heartbeats, and moving every run's rows back into the submitter's store.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, cliAsync, lastJsonLine } from '../test/helpers.js';
import { NatsServer } from '../test/nats-server.js';
import { fmt, printTable } from './harness.js';

const SEEDS = process.env.BENCH_SWEEP_SEEDS ?? '1..32';
const DURATION = process.env.BENCH_SWEEP_DURATION ?? '4h';

const tempDb = () => path.join(mkdtempSync(path.join(tmpdir(), 'tickwork-bench-sweep-')), 'sweep.db');

/**
 * `parallel`: runs at once here; a NATS URL: on the fleet behind it. Spawned, not spawnSync: this
 * process reads nats-server's log pipe, which must not fill while a sweep runs.
 */
async function sweep(parallel: number | string): Promise<{ wallS: number; digests: Map<number, string> }> {
  const where = typeof parallel === 'number' ? ['--parallel', String(parallel)] : ['--nats', parallel];
  const args = ['sweep', 'baseline', '--seeds', SEEDS, '--duration', DURATION, ...where, '--json', '--db', tempDb()];
  const started = performance.now();
  const r = await cliAsync(args, { TICKWORK_LOG_LEVEL: 'silent' });
  const wallS = (performance.now() - started) / 1000;
  if (r.code !== 0) throw new Error(`sweep ${where.join(' ')} exited ${r.code}: ${r.stderr.slice(-500)}`);
  const out = lastJsonLine(r.stdout) as { runs: { seed: number; digest: string }[] };
  return { wallS, digests: new Map(out.runs.map((x) => [x.seed, x.digest])) };
}

/** Parallelism and the fleet never change a run: the same digest for every seed. */
function sameDigests(base: Map<number, string>, other: Map<number, string>, how: string): void {
  for (const [seed, digest] of base)
    if (other.get(seed) !== digest) throw new Error(`seed ${seed}: digest ${digest} alone, ${other.get(seed)} ${how}`);
}

const one = await sweep(1);
const two = await sweep(2);
sameDigests(one.digests, two.digests, 'two at a time');

// The fleet: one agent with two lanes on this host, started (and connected) before the clock starts.
const nats = await NatsServer.start();
const agent = spawn(process.execPath, [CLI, 'agent', '--nats', nats.url, '--parallel', '2', '--db', tempDb()], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, TICKWORK_LOG_LEVEL: 'silent' },
});
await new Promise<void>((resolve, reject) => {
  agent.stdout!.on('data', (d: Buffer) => d.toString().includes('tickwork agent') && resolve());
  agent.on('exit', (code) => reject(new Error(`the agent exited with ${code}`)));
});
let fleet: Awaited<ReturnType<typeof sweep>>;
try {
  fleet = await sweep(nats.url);
} finally {
  const exited = new Promise((r) => agent.once('exit', r));
  agent.kill('SIGTERM');
  await exited;
  await nats.kill();
}
sameDigests(one.digests, fleet.digests, 'on the fleet');

const runs = one.digests.size;
printTable(`Bench 13: tickwork sweep baseline --seeds ${SEEDS} --duration ${DURATION} (${runs} runs)`, [
  {
    what: '--parallel 1 (baseline)',
    'wall s': fmt(one.wallS, 1),
    'runs/min': fmt((runs / one.wallS) * 60, 1),
    speedup: '1.00',
  },
  {
    what: '--parallel 2',
    'wall s': fmt(two.wallS, 1),
    'runs/min': fmt((runs / two.wallS) * 60, 1),
    speedup: fmt(one.wallS / two.wallS),
  },
  {
    what: '--nats, one agent --parallel 2',
    'wall s': fmt(fleet.wallS, 1),
    'runs/min': fmt((runs / fleet.wallS) * 60, 1),
    speedup: fmt(one.wallS / fleet.wallS),
  },
]);
const overheadS = (fleet.wallS - two.wallS) / runs;
console.log(`digests equal seed by seed: yes (${runs} seeds, all three sweeps); target speedup >= 1.8x`);
console.log(
  `fleet overhead per job: ${fmt(overheadS * 1000, 0)} ms, ${fmt((fleet.wallS / two.wallS - 1) * 100, 1)}% of a local ` +
    `--parallel 2 job (${fmt((two.wallS / runs) * 1000, 0)} ms); target < 5%`,
);
