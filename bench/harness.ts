// Shared bench plumbing: run a scenario built in code through the public Run API, time things,
// print a table. Every bench prints its figures and the ratio against its same-run baseline.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parseScenario } from '../runtime/scenario/scenario-loader.js';
import { PACKS } from '../actors/index.js';
import { resolveRunOptions } from '../runtime/run/run-options.js';
import { Run } from '../runtime/run/run.js';
import type { RunSummary } from '../runtime/run/run-summary.js';

/**
 * Bench 1/5's size, shared by its driver and its subject processes: actors, timed ticks, and the
 * ticks a run takes before its timed ones (the plain loops make as many untimed passes). A run's
 * start step and first tick run while V8 still compiles the step (100-190 ns a step against
 * 25-40 after); with 2 workers the next few ticks are 10-20% slower than later ones (profiles
 * show V8 still compiling and collecting in the background then, on the cores the workers need).
 * What a long run sustains is measured after that.
 */
export const STEP_BENCH = {
  actors: Number(process.env.BENCH_ACTORS ?? 1_000_000),
  ticks: Number(process.env.BENCH_TICKS ?? 20),
  warmTicks: Number(process.env.BENCH_WARM_TICKS ?? 10),
};

export function workloadScenario(
  policies: Record<string, unknown>,
  simMinutes: number,
  tickMs = 1000,
  partitions = 16,
) {
  return parseScenario(
    PACKS,
    {
      name: 'bench',
      pack: 'workload',
      tickMs,
      partitions,
      duration: { simMinutes },
      policies,
      metricsIntervalMin: 1e6,
      checkpointEveryMin: 1e9,
    },
    'bench',
  );
}

/** One tick as the bus reported it: when it ended (ms, performance clock) and how many steps it ran. */
export interface TimedTick {
  endedAt: number;
  steps: number;
}

/**
 * wallMs is the whole run, start-up and shutdown included (threads, module loads, spawning the
 * actors, the final store write). loopMs is the tick loop alone, from the moment the run reports
 * `running` (partitions loaded) to the end of its last tick: the part that compares with a
 * baseline that also builds its objects before starting its clock. `ticks` times each tick, for
 * benches that leave out the first (JIT warm-up) ticks; loopStartedAt is where the first began.
 */
export async function timedRun(
  sc: ReturnType<typeof workloadScenario>,
  workers: number,
  seed = 1,
): Promise<{ summary: RunSummary; wallMs: number; loopMs: number; loopStartedAt: number; ticks: TimedTick[] }> {
  const run = new Run(resolveRunOptions('bench', sc, { seed, workers, pace: 'turbo' }), { packs: PACKS });
  let loopStartedAt = NaN;
  const ticks: TimedTick[] = [];
  run.bus.on('run', (e) => {
    if (e.status === 'running') loopStartedAt = performance.now();
  });
  run.bus.on('tick', (e) => ticks.push({ endedAt: performance.now(), steps: e.steps }));
  const started = performance.now();
  const summary = await run.execute();
  const loopMs = (ticks.at(-1)?.endedAt ?? NaN) - loopStartedAt;
  return { summary, wallMs: performance.now() - started, loopMs, loopStartedAt, ticks };
}

export function printTable(title: string, rows: Record<string, string | number>[]): void {
  console.log(`\n## ${title}\n`);
  const keys = Object.keys(rows[0]);
  console.log(`| ${keys.join(' | ')} |`);
  console.log(`|${keys.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${keys.map((k) => r[k]).join(' | ')} |`);
}

/** Median (upper median for even counts) of a list of figures, e.g. per-round ratios. */
export const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
/** The nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
export const percentileOf = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)];

export const fmt = (n: number, digits = 2) =>
  n >= 1e6 ? `${(n / 1e6).toFixed(digits)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(digits)}k` : n.toFixed(digits);

/**
 * A full collection, for benches that read live memory. Exposed on first use when node was
 * started without --expose-gc, so `node dist/bench/idle.js` measures what `npm run bench` does
 * instead of silently reading a heap full of garbage.
 */
export function collectGarbage(): void {
  if (typeof globalThis.gc !== 'function') {
    v8.setFlagsFromString('--expose-gc');
    globalThis.gc = vm.runInNewContext('gc') as NonNullable<typeof globalThis.gc>;
  }
  globalThis.gc!();
}

/** `tickwork serve` in a process of its own on a fresh SQLite file; resolves with its URL once it listens. */
export async function startServeProcess(name: string): Promise<{ url: string; process: ChildProcess }> {
  const cli = fileURLToPath(new URL('../cli/main.js', import.meta.url));
  const db = path.join(mkdtempSync(path.join(tmpdir(), 'tickwork-bench-')), `${name}.db`);
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--db', db], {
    env: { ...process.env, TICKWORK_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
  });
  return { url, process: child };
}
