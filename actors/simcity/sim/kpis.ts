// The pack's KPIs for the run summary: what a person reading a SimCity run asks first. Each
// figure is read from the metric book, so the summary, the store and /metrics agree.
import type { MetricReader } from '../../../runtime/sdk.js';
import { ENDPOINTS, ERROR_CAUSES as CAUSES } from './messages.js';

const REJECTIONS = ['slot_taken', 'vendor_busy', 'past'];

const HOUR_MS = 3_600_000;

export function simcityKpis(m: MetricReader, run: { simMs: number }): Record<string, unknown> {
  const sum = (name: string) => m.stat(name, 'sum') ?? 0;
  const ratio = (a: number, b: number) => (b > 0 ? round(a / b, 4) : null);
  const requests = sum('api.requests');
  const errors = sum('api.errors');
  const decided = sum('booking.decided');
  const confirmed = sum('booking.confirmed');
  const responses = sum('vendor.responses');
  const lookups = sum('cache.lookups');
  return {
    funnel: {
      requests: sum('booking.requests'),
      decided,
      confirmed,
      successRate: ratio(confirmed, decided),
      rejected: Object.fromEntries(REJECTIONS.map((r) => [r, sum(`booking.rejected.${r}`)])),
      failed: Object.fromEntries(CAUSES.map((c) => [c, sum(`booking.failed.${c}`)])),
      rescheduled: sum('booking.rescheduled'),
      cancelled: sum('booking.cancelled'),
      abandoned: sum('booking.abandoned'),
    },
    vendorSla: {
      responses,
      withinSla: sum('vendor.responses_within_sla'),
      rate: ratio(sum('vendor.responses_within_sla'), responses),
      responseMinP95: minutes(m.stat('vendor.response_ms', 'p95')),
    },
    cache: {
      lookups,
      hits: sum('cache.hits'),
      hitRate: ratio(sum('cache.hits'), lookups),
      staleSearchResults: sum('search.stale_results'),
    },
    integrity: {
      doubleBookings: m.stat('simcity.double_bookings', 'value') ?? 0,
      orphanedReferences: m.stat('simcity.orphaned_references', 'value') ?? 0,
    },
    api: {
      requests,
      // Load in API calls per sim second: over the whole run and over its last sim hour.
      loadPerSec: {
        run: run.simMs > 0 ? round(requests / (run.simMs / 1000), 3) : null,
        lastHour: run.simMs >= HOUR_MS ? round((m.stat('api.requests', 'sum', HOUR_MS) ?? 0) / 3600, 3) : null,
      },
      errors,
      errorRate: ratio(errors, requests),
      errorsByCause: Object.fromEntries(CAUSES.map((c) => [c, sum(`api.errors.${c}`)])),
      latencyMs: Object.fromEntries(
        ['all', ...ENDPOINTS].map((e) => {
          const metric = e === 'all' ? 'api.latency_ms' : `api.${e}.latency_ms`;
          return [e, { p95: m.stat(metric, 'p95') ?? null, p99: m.stat(metric, 'p99') ?? null }];
        }),
      ),
    },
    agents: {
      spawned: sum('simcity.citizens_spawned'),
      active: m.stat('simcity.active_agents', 'value') ?? 0,
      spawnCapped: sum('simcity.spawn_capped'),
      stepLimitHits: sum('simcity.step_limit_hits'),
      vendorsOpen: m.stat('simcity.vendors_open', 'value') ?? 0,
    },
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function minutes(ms: number | undefined): number | null {
  return ms === undefined ? null : round(ms / 60_000, 1);
}
