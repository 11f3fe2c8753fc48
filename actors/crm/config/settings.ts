// The runbook's server-side settings, read when the server starts and checked there, each error
// naming its variable: the replay cap, DLQ samples, thinning events kept, Prometheus.
import { type Env, envFlag, envNumber, TickworkError } from '../../../runtime/sdk.js';

export interface CrmSettings {
  /** DLQ_REPLAY_LIMIT_CAP: the final guard on a non-dry-run replay's size. */
  replayLimitCap: number;
  /** DLQ_SAMPLE_MAX: DLQ entries shown per simulation. */
  dlqSampleMax: number;
  /** THINNING_EVENTS_MAX: thinning events kept per run. */
  thinningEventsMax: number;
  /** METRICS_PROM_ENABLED: the simcrm_* families on /metrics. */
  promEnabled: boolean;
  /** PROM_DEFAULT_BUCKETS: latency histogram buckets, ms. */
  promBucketsMs: number[];
}

export const CRM_SETTINGS_DEFAULTS: CrmSettings = {
  replayLimitCap: 50,
  dlqSampleMax: 25,
  thinningEventsMax: 200,
  promEnabled: false,
  promBucketsMs: [50, 100, 250, 500, 1000, 2000, 5000, 10000],
};

export function crmSettingsFromEnv(env: Env = process.env): CrmSettings {
  const rawBuckets = env.PROM_DEFAULT_BUCKETS?.trim();
  let promBucketsMs = CRM_SETTINGS_DEFAULTS.promBucketsMs;
  if (rawBuckets) {
    promBucketsMs = rawBuckets.split(',').map((p) => Number(p.trim()));
    const ascending = promBucketsMs.every(
      (b, i) => Number.isFinite(b) && b > 0 && (i === 0 || b > promBucketsMs[i - 1]),
    );
    if (!ascending || promBucketsMs.length > 30) {
      throw new TickworkError(
        'TW_ERR_VALIDATION',
        `PROM_DEFAULT_BUCKETS must be up to 30 ascending positive numbers of ms, like "50,100,250,500,1000,2000" (got '${rawBuckets}')`,
        'PROM_DEFAULT_BUCKETS',
      );
    }
  }
  return {
    replayLimitCap: envNumber(env, 'DLQ_REPLAY_LIMIT_CAP', CRM_SETTINGS_DEFAULTS.replayLimitCap, 1, 100),
    dlqSampleMax: envNumber(env, 'DLQ_SAMPLE_MAX', CRM_SETTINGS_DEFAULTS.dlqSampleMax, 0, 1000),
    thinningEventsMax: envNumber(env, 'THINNING_EVENTS_MAX', CRM_SETTINGS_DEFAULTS.thinningEventsMax, 1, 100_000),
    promEnabled: envFlag(env, 'METRICS_PROM_ENABLED'),
    promBucketsMs,
  };
}
