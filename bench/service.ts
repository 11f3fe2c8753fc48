// Bench 8: a service run stays bounded. An open-ended ledger (the same model as a finite one),
// fed one policy input per sim hour as a source would feed it, run in turbo for 14 sim days with a
// store: at the end of each sim day, the store's bytes on disk (file + WAL) and the JS heap after
// a collection. Baseline, same run: the same scenario with a finite duration of 14 days, where
// nothing is compacted (its input log and metric rows keep growing).
import { statSync } from 'node:fs';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parseScenario } from '../runtime/scenario/scenario-loader.js';
import { PACKS } from '../actors/index.js';
import { resolveRunOptions } from '../runtime/run/run-options.js';
import { Run } from '../runtime/run/run.js';
import { Store } from '../runtime/store/store.js';
import { collectGarbage, printTable } from './harness.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const DAYS = Number(process.env.BENCH_DAYS ?? 14);
const MB = 1024 * 1024;

function scenarioFor(duration: Record<string, unknown>) {
  return parseScenario(PACKS, {
    name: 'service-bench',
    pack: 'ledger',
    tickMs: 10_000,
    partitions: 8,
    duration,
    policies: { accounts: 2000, initialBalance: 1000, maxTransfer: 100, transferEveryMs: 60_000, transitMaxMs: 5000 },
    metricsIntervalMin: 5,
    checkpointEveryMin: 60,
  });
}

async function measure(label: string, duration: Record<string, unknown>) {
  const db = path.join(mkdtempSync(path.join(tmpdir(), 'tickwork-bench-')), 'service.db');
  const store = new Store(db);
  const run = new Run(resolveRunOptions(label, scenarioFor(duration), { seed: 8, workers: 0, pace: 'turbo' }), {
    packs: PACKS,
    store,
  });
  const perDay: { storeMb: number; heapMb: number }[] = [];
  let hours = 0;
  run.bus.on('tick', (t) => {
    if (t.simMs >= (hours + 1) * HOUR_MS) {
      hours++;
      if (hours >= DAYS * 24) run.submit({ kind: 'stop', reason: 'bench over' });
      else run.submit({ kind: 'policy', policies: { maxTransfer: 50 + (hours % 7) } });
    }
    if (t.simMs < (perDay.length + 1) * DAY_MS) return;
    store.flush();
    collectGarbage();
    const bytes = statSync(db).size + (statSync(`${db}-wal`, { throwIfNoEntry: false })?.size ?? 0);
    perDay.push({ storeMb: bytes / MB, heapMb: process.memoryUsage().heapUsed / MB });
  });
  const started = performance.now();
  const summary = await run.execute();
  store.close();
  return { perDay, wallS: (performance.now() - started) / 1000, summary };
}

const service = await measure('service', { openEnded: true });
const finite = await measure('finite', { simHours: DAYS * 24 + 1 });
const growth = (d: { storeMb: number; heapMb: number }[], k: 'storeMb' | 'heapMb') => d[d.length - 1][k] / d[1][k];
printTable(
  `Bench 8: service run bounds, ${DAYS} sim days of a 2,000-account ledger with an input every sim hour (turbo, workers=0)`,
  [
    {
      what: 'open-ended: store MB at the end of each sim day',
      value: service.perDay.map((d) => d.storeMb.toFixed(2)).join(' '),
    },
    {
      what: 'open-ended: heap MB after GC, each sim day',
      value: service.perDay.map((d) => d.heapMb.toFixed(1)).join(' '),
    },
    {
      what: 'finite (baseline): store MB each sim day',
      value: finite.perDay.map((d) => d.storeMb.toFixed(2)).join(' '),
    },
    {
      what: 'finite (baseline): heap MB after GC, each sim day',
      value: finite.perDay.map((d) => d.heapMb.toFixed(1)).join(' '),
    },
    {
      what: 'store, last day / day 2: open-ended vs finite',
      value: `${growth(service.perDay, 'storeMb').toFixed(3)} vs ${growth(finite.perDay, 'storeMb').toFixed(3)}`,
    },
    {
      what: 'heap, last day / day 2: open-ended vs finite',
      value: `${growth(service.perDay, 'heapMb').toFixed(3)} vs ${growth(finite.perDay, 'heapMb').toFixed(3)}`,
    },
    {
      what: 'wall time: open-ended, finite',
      value: `${service.wallS.toFixed(1)} s, ${finite.wallS.toFixed(1)} s (${service.summary.status}, ${finite.summary.status})`,
    },
  ],
);
