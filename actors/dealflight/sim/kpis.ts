// The demo's summary, in the runbook's KPI terms: scenario success rate, approval mix, p95 latency,
// parity mismatches and the promotion failure rate, each beside its target.
import type { MetricReader } from '../../../runtime/sdk.js';

export function demoKpis(m: MetricReader): Record<string, unknown> {
  const sum = (name: string) => m.stat(name, 'sum') ?? 0;
  const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);
  const requests = sum('dealflight.requests');
  const variants = sum('dealflight.variants');
  const promotionsRequested = sum('dealflight.promotions_requested');
  return {
    requests,
    successRate: { value: ratio(sum('dealflight.success'), requests), target: '>= 0.98' },
    failures: sum('dealflight.failures'),
    variants,
    approvalMix: {
      approvalRequired: sum('dealflight.approval_required'),
      share: ratio(sum('dealflight.approval_required'), variants),
    },
    latencyMs: {
      p50: m.stat('dealflight.latency_ms', 'p50') ?? null,
      p95: m.stat('dealflight.latency_ms', 'p95') ?? null,
      target: 'p95 <= 800',
    },
    parity: { checks: sum('dealflight.parity_checks'), mismatches: sum('dealflight.parity_mismatches'), target: '0' },
    promotions: {
      requested: promotionsRequested,
      applied: sum('dealflight.promotions_applied'),
      failed: sum('dealflight.promotions_failed'),
      failureRate: ratio(sum('dealflight.promotions_failed'), promotionsRequested),
      target: '<= 0.02',
    },
  };
}
