// SimCRM's Prometheus families (METRICS_PROM_ENABLED=1), the runbook's "observability wishlist":
// limiter and breaker gauges, requests by status, retries, DLQ by category, request latency with
// PROM_DEFAULT_BUCKETS. Summed over the server's recent SimCRM runs.
import type { MetricCatalogue } from '../../../runtime/sdk.js';
import { DLQ_CATEGORIES } from '../sim/outcome.js';
import { JOB_TYPES } from '../sim/policies.js';
import type { CrmSettings } from '../config/settings.js';

export function crmMetricCatalogue(settings: Pick<CrmSettings, 'promEnabled' | 'promBucketsMs'>): MetricCatalogue {
  if (!settings.promEnabled) return [];
  const types = { type: JOB_TYPES };
  return [
    {
      name: 'simcrm_generated_total',
      kind: 'counter',
      help: 'records and activities generated',
      from: 'crm.generated',
    },
    {
      name: 'simcrm_created_total',
      kind: 'counter',
      help: 'objects created in the CRM, by type',
      from: 'crm.created.{type}',
      labels: types,
    },
    {
      name: 'simcrm_skipped_total',
      kind: 'counter',
      help: 'items skipped by a recorded decision, by reason',
      from: 'crm.skipped.{reason}',
      labels: { reason: ['thinning', 'budget'] },
    },
    {
      name: 'simcrm_requests_total',
      kind: 'counter',
      help: 'batch-create answers, by HTTP status or network error',
      from: 'crm.responses.{status}',
    },
    {
      name: 'simcrm_retries_total',
      kind: 'counter',
      help: 'jobs retried after a failed attempt, by type',
      from: 'crm.retries.{type}',
      labels: types,
    },
    {
      name: 'simcrm_dlq_items_total',
      kind: 'counter',
      help: 'items sent to the DLQ, by category',
      from: 'crm.dlq.{category}',
      labels: { category: DLQ_CATEGORIES },
    },
    {
      name: 'simcrm_dlq_replayed_total',
      kind: 'counter',
      help: 'items taken out of the DLQ by a replay, by category',
      from: 'crm.replayed.{category}',
      labels: { category: DLQ_CATEGORIES },
    },
    {
      name: 'simcrm_throttled_total',
      kind: 'counter',
      help: '429s and throttling 500s (each starts a cooldown)',
      from: 'crm.throttled',
    },
    {
      name: 'simcrm_breaker_opened_total',
      kind: 'counter',
      help: 'times the circuit breaker opened',
      from: 'crm.breaker_opened',
    },
    {
      name: 'simcrm_request_duration_seconds',
      kind: 'histogram',
      help: 'batch-create request time, sim clock',
      from: 'crm.request_ms',
      scale: 0.001,
      buckets: settings.promBucketsMs.map((ms) => ms / 1000),
    },
    { name: 'simcrm_backlog_jobs', kind: 'gauge', help: 'jobs queued or in flight', from: 'crm.backlog' },
    {
      name: 'simcrm_requests_in_flight',
      kind: 'gauge',
      help: 'batch requests awaiting an answer',
      from: 'crm.in_flight',
    },
    {
      name: 'simcrm_ratelimit_window_used',
      kind: 'gauge',
      help: 'requests sent in the rolling 10 s window',
      from: 'crm.window_used',
    },
    {
      name: 'simcrm_cooldown_remaining_seconds',
      kind: 'gauge',
      help: 'time left in the 429 cooldown',
      from: 'crm.cooldown_ms',
      scale: 0.001,
    },
    {
      name: 'simcrm_circuit_breaker_state',
      kind: 'gauge',
      help: 'circuit breaker: 0 closed, 0.5 half-open, 1 open',
      from: 'crm.breaker_state',
    },
    {
      name: 'simcrm_thinning_keep_ratio',
      kind: 'gauge',
      help: 'share of arriving records kept by adaptive thinning',
      from: 'crm.keep_share',
    },
    { name: 'simcrm_dlq_entries', kind: 'gauge', help: 'DLQ entries waiting', from: 'crm.dlq_size' },
  ];
}
