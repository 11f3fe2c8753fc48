// SimCity's families on /metrics: the booking API's latency as a real histogram in seconds, per
// endpoint; calls and errors as counters by endpoint and cause; the booking funnel. Names follow
// Prometheus conventions under `simcity_` (runbook 001 names no metrics of its own).
import type { MetricCatalogue } from '../../../runtime/sdk.js';
import { ENDPOINTS, ERROR_CAUSES } from '../sim/messages.js';

const API_BUCKETS_S = [0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10];

export const SIMCITY_METRICS: MetricCatalogue = [
  {
    name: 'simcity_api_request_duration_seconds',
    kind: 'histogram',
    help: 'booking API response time (sim seconds), by endpoint',
    from: 'api.{endpoint}.latency_ms',
    scale: 0.001,
    labels: { endpoint: ENDPOINTS },
    buckets: API_BUCKETS_S,
  },
  { name: 'simcity_api_requests_total', kind: 'counter', help: 'booking API calls', from: 'api.requests' },
  {
    name: 'simcity_api_errors_total',
    kind: 'counter',
    help: 'booking API calls that failed, by cause',
    from: 'api.errors.{cause}',
    labels: { cause: ERROR_CAUSES },
  },
  {
    name: 'simcity_bookings_requested_total',
    kind: 'counter',
    help: 'booking requests citizens made',
    from: 'booking.requests',
  },
  {
    name: 'simcity_bookings_confirmed_total',
    kind: 'counter',
    help: 'bookings vendors confirmed',
    from: 'booking.confirmed',
  },
  { name: 'simcity_active_agents', kind: 'gauge', help: 'citizen sessions alive', from: 'simcity.active_agents' },
];
