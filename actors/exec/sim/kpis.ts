// A run's summary in the runbook's terms: orders received by status, fills by type, validation
// errors by reason, simulation latency, slippage of what filled.
import type { MetricReader } from '../../../runtime/sdk.js';
import { VALIDATION_REASONS } from '../domain/order-intent.js';

export function execKpis(m: MetricReader): Record<string, unknown> {
  const sum = (name: string) => m.stat(name, 'sum') ?? 0;
  const valid = sum('exec.intents_valid');
  const invalid = sum('exec.intents_invalid');
  const errors: Record<string, number> = {};
  for (const reason of VALIDATION_REASONS) {
    const n = sum(`exec.validation_errors.${reason}`);
    if (n > 0) errors[reason] = n;
  }
  return {
    orders: { received: valid + invalid, success: valid, invalid, duplicates: sum('exec.intents_duplicate') },
    validationErrorRate: valid + invalid > 0 ? Math.round((invalid / (valid + invalid)) * 10_000) / 10_000 : null,
    validationErrors: errors,
    fills: { full: sum('exec.fills_full'), partial: sum('exec.fills_partial') },
    results: { filled: sum('exec.orders_filled'), unfilled: sum('exec.orders_unfilled') },
    simulationMs: {
      p50: m.stat('exec.simulation_ms', 'p50') ?? null,
      p95: m.stat('exec.simulation_ms', 'p95') ?? null,
      target: 'p95 < 2000',
    },
  };
}
