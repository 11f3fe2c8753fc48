// Shared bench plumbing: run a scenario built in code through the public Run API, time things,
// print a table. Every bench prints its figures and the ratio against its same-run baseline.
import { parseScenario } from '../runtime/scenario/scenario-loader.js';
import { resolveRunOptions } from '../runtime/scheduler/run-options.js';
import { Run } from '../runtime/scheduler/run.js';
import type { RunSummary } from '../runtime/scheduler/run-summary.js';

export function workloadScenario(policies: Record<string, unknown>, simMinutes: number, tickMs = 1000, partitions = 16) {
  return parseScenario({ name: 'bench', pack: 'workload', tickMs, partitions, duration: { simMinutes }, policies, metricsIntervalMin: 1e6, checkpointEveryMin: 1e9 }, 'bench');
}

/**
 * wallMs is the whole run, start-up and shutdown included (threads, module loads, spawning the
 * actors, the final store write). loopMs is the tick loop alone, from the moment the run reports
 * `running` (partitions loaded) to the end of its last tick: the part that compares with a
 * baseline that also builds its objects before starting its clock.
 */
export async function timedRun(sc: ReturnType<typeof workloadScenario>, workers: number, seed = 1): Promise<{ summary: RunSummary; wallMs: number; loopMs: number }> {
  const run = new Run(resolveRunOptions('bench', sc, { seed, workers, pace: 'turbo' }));
  let loopStarted = NaN;
  let lastTickEnded = NaN;
  run.bus.on('run', (e) => {
    if (e.status === 'running') loopStarted = performance.now();
  });
  run.bus.on('tick', () => (lastTickEnded = performance.now()));
  const started = performance.now();
  const summary = await run.execute();
  return { summary, wallMs: performance.now() - started, loopMs: lastTickEnded - loopStarted };
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

export const fmt = (n: number, digits = 2) => (n >= 1e6 ? `${(n / 1e6).toFixed(digits)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(digits)}k` : n.toFixed(digits));
