// Bench 12: SimCRM. (a) The HTTP sink against the bundled CRM at the Professional tier (190
// requests per rolling 10 s), flooded with single-record writes at 1:1: accepted requests per 10 s
// after the first window (target at least 90% of 190) and 429s after it (target 0); the reference
// is the tier's limit itself. (b) The in-process sink in turbo: records and activities settled per
// wall second, and per sim second against the limiter's ceiling in the same run (requests the
// limiter allows per second times the batch size).
import { NO_FAULTS } from '../actors/crm/domain/crm-account.js';
import { startMockCrm } from '../actors/crm/io/mock-server.js';
import { PACKS } from '../actors/index.js';
import { CRM_POLICY_DEFAULTS } from '../actors/crm/sim/policies.js';
import { Run } from '../runtime/run/run.js';
import { resolveRunOptions } from '../runtime/run/run-options.js';
import { loadScenario } from '../runtime/scenario/scenario-loader.js';
import { fmt, printTable } from './harness.js';

const SECONDS = Number(process.env.BENCH_CRM_SECONDS ?? 70);
const NONE = { probability: 0, maxPerRecord: 0, budget: 0 };
const contactsOnly = { note: NONE, call: NONE, task: NONE, ticket: NONE };

function crmRun(name: string, policies: Record<string, unknown>, pace: 'turbo' | number, durationMs?: number): Run {
  const sc = loadScenario(PACKS, `crm/${name}`, {});
  return new Run(
    resolveRunOptions(`crm/${name}`, sc, {
      seed: 12,
      workers: 0,
      pace,
      policies,
      ...(durationMs ? { durationMs } : {}),
    }),
    { packs: PACKS },
  );
}

const rows: Record<string, string | number>[] = [];
{
  const token = 'bench-token';
  const mock = await startMockCrm({
    account: { tier: 'professional', faults: NO_FAULTS },
    token,
    seed: 1,
    holdMs: 30_000,
    bodyLimit: '1mb',
  });
  process.env.CRM_BASE_URL = mock.url;
  process.env.HUBSPOT_API_TOKEN = token;
  // Far more arrivals than the tier allows (40 per second against 19): the limiter is the bottleneck.
  const run = crmRun(
    'b2c',
    {
      sink: 'http',
      totalRecords: 40 * SECONDS,
      windowHours: SECONDS / 3600,
      batchSize: 1,
      secondary: contactsOnly,
      thinning: { backlogHigh: 1_000_000, minKeep: 1 },
    },
    1,
    SECONDS * 1000,
  );
  const samples: { atMs: number; accepted: number; rejected: number }[] = [];
  const started = performance.now();
  const sampler = setInterval(() => {
    const s = mock.state();
    samples.push({
      atMs: performance.now() - started,
      accepted: s.dayCount,
      rejected: s.rejected.TEN_SECONDLY_ROLLING + s.rejected.DAILY,
    });
  }, 250);
  await run.execute();
  clearInterval(sampler);
  await mock.close();
  const first = samples.find((s) => s.atMs >= 10_000)!;
  const last = samples[samples.length - 1];
  const per10s = ((last.accepted - first.accepted) / (last.atMs - first.atMs)) * 10_000;
  rows.push({ what: 'Professional tier limit (reference)', 'per 10 s': 190, ratio: '1.00', '429s after 10 s': '-' });
  rows.push({
    what: `HTTP sink at 1:1, ${SECONDS} s, single-record writes`,
    'per 10 s': per10s.toFixed(1),
    ratio: (per10s / 190).toFixed(3),
    '429s after 10 s': last.rejected - first.rejected,
  });
}
for (const batchSize of [1, 10]) {
  // Ten sim minutes of arrivals at twice what the limiter lets through: it binds from the first
  // seconds until the backlog has drained, so requests per sim second meet its ceiling.
  const simSeconds = 600;
  const ceilingPerS = (190 - CRM_POLICY_DEFAULTS.windowHeadroom) / 10;
  const perS = Math.ceil(2 * ceilingPerS * batchSize);
  const run = crmRun(
    'b2c',
    {
      totalRecords: perS * simSeconds,
      windowHours: simSeconds / 3600,
      batchSize,
      secondary: contactsOnly,
      thinning: { backlogHigh: 1_000_000, minKeep: 1 },
    },
    'turbo',
  );
  const started = performance.now();
  const summary = await run.execute();
  const wallS = (performance.now() - started) / 1000;
  const c = summary.counters;
  const settled = c['crm.created'] + (c['crm.dlq'] ?? 0) + (c['crm.skipped'] ?? 0);
  const simS = summary.simTimeMs / 1000;
  rows.push({
    what: `in-process sink, turbo, ${perS * simSeconds} contacts in ${simSeconds / 60} sim min, batch ${batchSize}`,
    'per 10 s': `${fmt(settled / wallS)} items/s wall; ${fmt((c['crm.requests'] / simS) * 10)} requests per sim 10 s`,
    ratio: `${(c['crm.requests'] / simS / ceilingPerS).toFixed(3)} of the limiter's ceiling`,
    '429s after 10 s': c['crm.responses.429'] ?? 0,
  });
}
printTable('Bench 12: SimCRM (HTTP sink vs the tier limit; in-process sink throughput)', rows);
