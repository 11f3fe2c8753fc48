// A simulation's summary in the runbook's terms: primary records created, secondary activities
// scheduled and created by type, requests, retries, DLQ by category, skips, and the ledger that
// must balance once the simulation has settled. One reading of the counters, whether they come
// from one run's metric book (its summary) or are summed over a simulation's runs (the HTTP route).
import type { MetricReader } from '../../../runtime/sdk.js';
import { DLQ_CATEGORIES } from './outcome.js';
import { SECONDARY_TYPES } from './policies.js';

export interface Ledger {
  generated: number;
  created: number;
  dlq: number;
  skipped: number;
}

/** The totals from a counter reader (0 for a counter never counted). */
export function crmTotals(sum: (counter: string) => number) {
  const ledger: Ledger = {
    generated: sum('crm.generated'),
    created: sum('crm.created'),
    dlq: sum('crm.dlq') - sum('crm.replayed'),
    skipped: sum('crm.skipped'),
  };
  const byType = (prefix: string) => Object.fromEntries(SECONDARY_TYPES.map((t) => [t, sum(`${prefix}.${t}`)]));
  return {
    ledger,
    balanced: ledger.generated === ledger.created + ledger.dlq + ledger.skipped,
    primary: { records: sum('crm.records'), created: sum('crm.created.contact') },
    secondary: { scheduled: byType('crm.scheduled'), created: byType('crm.created') },
    requests: sum('crm.requests'),
    retries: sum('crm.retries'),
    throttled: sum('crm.throttled'),
    breakerOpened: sum('crm.breaker_opened'),
    dlqByCategory: Object.fromEntries(DLQ_CATEGORIES.map((c) => [c, sum(`crm.dlq.${c}`) - sum(`crm.replayed.${c}`)])),
    skipped: { thinning: sum('crm.skipped.thinning'), budget: sum('crm.skipped.budget') },
  };
}

export function crmKpis(m: MetricReader): Record<string, unknown> {
  return {
    ...crmTotals((name) => m.stat(name, 'sum') ?? 0),
    requestMs: { p50: m.stat('crm.request_ms', 'p50') ?? null, p95: m.stat('crm.request_ms', 'p95') ?? null },
  };
}
