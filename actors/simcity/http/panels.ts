// SimCity on the generic run page (/admin/runs/:id): the runbook's headline figures as tiles above
// their gates, and the API's p95 over sim time. (Its own page, /admin/simcity, stays the runbook's.)
import type { PanelCatalogue } from '../../../runtime/sdk.js';

export const SIMCITY_PANELS: PanelCatalogue = [
  {
    kind: 'tile',
    title: 'API p95',
    metric: 'api.latency_ms',
    statistic: 'p95',
    unit: 'ms',
    gate: 'api_p95_response_time',
  },
  {
    kind: 'tile',
    title: 'API error rate',
    metric: 'api.errors',
    statistic: 'value',
    over: 'api.requests',
    percent: true,
    gate: 'api_error_rate',
  },
  {
    kind: 'tile',
    title: 'booking funnel',
    metric: 'booking.confirmed',
    statistic: 'value',
    over: 'booking.decided',
    percent: true,
    gate: 'booking_funnel_success',
  },
  {
    kind: 'tile',
    title: 'cache hit rate',
    metric: 'cache.hits',
    statistic: 'value',
    over: 'cache.lookups',
    percent: true,
    gate: 'cache_hit_rate',
  },
  { kind: 'tile', title: 'active agents', metric: 'simcity.active_agents', statistic: 'value' },
  { kind: 'chart', title: 'API p95 (ms) per interval', metric: 'api.latency_ms', statistic: 'p95', unit: 'ms' },
];
