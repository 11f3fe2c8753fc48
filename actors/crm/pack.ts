// SimCRM's registration (runbook 002): its contract and scenarios (`tickwork run crm`,
// `crm/b2b|b2c|outage`), the HTTP sink's effect, the runbook's retry variables read when a run is
// created, and its commands.
import { z } from 'zod';
import type { PackModule } from '../../runtime/sdk.js';
import { packScenarioDir } from '../scenario-dir.js';
import { simulationRoutes } from './http/routes.js';
import { CRM_COMMANDS } from './cli/commands.js';
import { crmMetricCatalogue } from './http/metrics.js';
import { crmSettingsFromEnv } from './config/settings.js';
import { retryFromEnv } from './config/retry-env.js';
import { CRM_MIGRATIONS } from './store/migrations.js';
import { CrmEventRecorder } from './io/event-recorder.js';
import { crmBatchEffect } from './io/http-sink.js';
import { CRM_INVARIANTS } from './sim/invariants.js';
import { CRM_LIMITS, crmPoliciesSchema } from './sim/policies.js';
import { CRM_RETENTION } from './store/retention.js';

export const crmPack: PackModule = {
  name: 'crm',
  description:
    'SimCRM: synthetic CRM records into a rate-limited CRM API, with retries, a DLQ, replay and thinning (runbook 002)',
  model: { url: new URL('./model.js', import.meta.url).href, export: 'crmModel' },
  contract: {
    invariants: CRM_INVARIANTS,
    policies: crmPoliciesSchema,
    // The outage drill: the in-process CRM answers every request 5xx while it lasts.
    events: { CRM_OUTAGE: z.strictObject({}) },
    scenarios: { dir: packScenarioDir('crm'), default: 'b2b' },
    // A simulation is done when every record and activity has settled, paced or not.
    endsWhenIdle: true,
  },
  io: {
    effects: { 'crm-batch': crmBatchEffect },
    envPolicies: (env) => ({ retry: retryFromEnv(env) }),
    // Segments, DLQ entries and thinning events into the tables those routes read.
    sources: (run) => [new CrmEventRecorder(run, crmSettingsFromEnv().thinningEventsMax)],
  },
  surfaces: {
    retention: CRM_RETENTION,
    limits: [
      {
        what: "a simulation's window and records",
        limit: `${CRM_LIMITS.maxWindowHours} h, ${CRM_LIMITS.maxTotalRecords.toLocaleString('en-US')} records (\`total_records\`)`,
        where: '`CRM_LIMITS`',
      },
      {
        what: 'a DLQ replay',
        limit: 'at most `DLQ_REPLAY_LIMIT_CAP` (≤ 100) entries; 5 calls per 30 s per user',
        where: '`actors/crm/config/settings.ts`',
      },
      {
        what: 'DLQ samples and thinning events',
        limit: '`DLQ_SAMPLE_MAX` samples, `THINNING_EVENTS_MAX` events per run',
        where: '`actors/crm/config/settings.ts`',
      },
    ],
    migrations: CRM_MIGRATIONS,
    // The runbook's routes; its settings are checked when the server starts.
    http: (ctx) => simulationRoutes(ctx, crmSettingsFromEnv()),
    commands: CRM_COMMANDS,
    page: '/admin/crm',
    // Read when the exporter asks: METRICS_PROM_ENABLED turns the simcrm_* families on (the server
    // checked the variables when it started).
    get metrics() {
      return crmMetricCatalogue(crmSettingsFromEnv());
    },
    panels: [
      { kind: 'tile', title: 'created', metric: 'crm.created', statistic: 'value' },
      {
        kind: 'tile',
        title: 'DLQ share',
        metric: 'crm.dlq',
        over: 'crm.generated',
        statistic: 'value',
        percent: true,
        gate: 'crm_dlq_rate',
      },
      { kind: 'tile', title: 'throttled (429)', metric: 'crm.throttled', statistic: 'value' },
      { kind: 'chart', title: 'requests per interval', metric: 'crm.requests', statistic: 'value' },
      { kind: 'chart', title: 'request p95 per interval', metric: 'crm.request_ms', statistic: 'p95', unit: 'ms' },
    ],
  },
};
