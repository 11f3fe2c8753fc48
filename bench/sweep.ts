// Bench 13: a sweep of 32 SimCity baseline seeds, `tickwork sweep --parallel 2` against
// `--parallel 1` on the same host in the same run (target: at least 1.8x on 2 cores). Each run is
// its own process, so the speedup is what two cores give when nothing is shared but the store
// file. Runs are cut to 4 sim hours (BENCH_SWEEP_DURATION) so the bench takes about two minutes;
// the digests of the two sweeps must agree seed by seed (parallelism never changes a run).
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, printTable } from './harness.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const SEEDS = process.env.BENCH_SWEEP_SEEDS ?? '1..32';
const DURATION = process.env.BENCH_SWEEP_DURATION ?? '4h';

function sweep(parallel: number): { wallS: number; digests: Map<number, string> } {
  const db = path.join(mkdtempSync(path.join(tmpdir(), 'tickwork-bench-sweep-')), 'sweep.db');
  const args = [CLI, 'sweep', 'baseline', '--seeds', SEEDS, '--duration', DURATION, '--parallel', String(parallel)];
  const started = performance.now();
  const r = spawnSync(process.execPath, [...args, '--json', '--db', db], {
    encoding: 'utf8',
    env: { ...process.env, TICKWORK_LOG_LEVEL: 'silent' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallS = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`sweep --parallel ${parallel} exited ${r.status}: ${r.stderr.slice(-500)}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { runs: { seed: number; digest: string }[] };
  return { wallS, digests: new Map(out.runs.map((x) => [x.seed, x.digest])) };
}

const one = sweep(1);
const two = sweep(2);
for (const [seed, digest] of one.digests)
  if (two.digests.get(seed) !== digest)
    throw new Error(`seed ${seed}: digest ${digest} alone, ${two.digests.get(seed)} two at a time`);
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
]);
console.log(`digests equal seed by seed: yes (${runs} seeds); target speedup >= 1.8x`);
