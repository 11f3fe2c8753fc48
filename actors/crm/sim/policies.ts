// SimCRM's policies: the simulation's window and volume (what POST /api/simulations names), the
// secondary activities' probabilities, caps and budgets (the runbook's scenarioParameters), the
// sink and its CRM account, and the gateway's retry, cooldown, breaker and thinning settings.
// The runbook's environment variables become `retry` when a run is created (config/retry-env.ts).
import { z } from 'zod';
import { policyReader } from '../../../runtime/sdk.js';
import { NO_FAULTS, TIERS } from '../domain/crm-account.js';

export const SECONDARY_TYPES = ['note', 'call', 'task', 'ticket'] as const;
export type SecondaryType = (typeof SECONDARY_TYPES)[number];
export const JOB_TYPES = ['contact', ...SECONDARY_TYPES] as const;
export type JobType = (typeof JOB_TYPES)[number];
export const DISTRIBUTIONS = ['uniform', 'front_loaded', 'business_hours'] as const;
export type Distribution = (typeof DISTRIBUTIONS)[number];

export interface SecondarySpec {
  /** Chance of each of the record's `maxPerRecord` draws. */
  probability: number;
  maxPerRecord: number;
  /** Activities of this type the whole simulation may create; past it an activity is skipped (recorded). */
  budget: number;
}

export interface RetrySpec {
  attempts: number;
  /** Delay before attempt 2, 3, ...; padded with its last value to attempts - 1. */
  backoffMs: number[];
}

export const CRM_POLICY_DEFAULTS = {
  /** The simulation's id: records' random streams are keyed by (simulation, record index). */
  simulation: 'cli',
  /** Wall time of sim time 0 (start_time), for the business-hours shape. */
  startTime: '2026-01-05T00:00:00.000Z',
  /** end_time - start_time. */
  windowHours: 24,
  totalRecords: 2000,
  distribution: 'business_hours' as Distribution,
  secondary: {
    note: { probability: 0.5, maxPerRecord: 2, budget: 100_000 },
    call: { probability: 0.3, maxPerRecord: 1, budget: 100_000 },
    task: { probability: 0.2, maxPerRecord: 1, budget: 100_000 },
    ticket: { probability: 0.05, maxPerRecord: 1, budget: 100_000 },
  } as Record<SecondaryType, SecondarySpec>,
  /** An activity follows its contact's creation by a uniform delay in this range. */
  secondaryDelayMs: [60_000, 3_600_000] as [number, number],
  /** Share of records with an invalid email (VALIDATION_ERROR, straight to the DLQ). */
  invalidShare: 0.01,
  /** `model`: the in-process CRM (deterministic); `http`: CRM_BASE_URL with its token (run paced 1:1). */
  sink: 'model' as 'model' | 'http',
  tier: 'professional' as keyof typeof TIERS,
  dailyLimit: 0,
  faults: NO_FAULTS,
  /** The in-process CRM's answer time, uniform. */
  crmLatencyMs: [60, 250] as [number, number],
  batchSize: 10,
  /** A partial batch goes when its oldest job has waited this long. */
  batchWaitMs: 500,
  maxInFlight: 8,
  /** Sim time a request may take before it counts as a network timeout (in-process sink). */
  requestTimeoutMs: 10_000,
  /** Requests kept below the CRM's rolling-window maximum, for answers that arrive out of order. */
  windowHeadroom: 4,
  cooldownMs: 15_000,
  breaker: { failureThreshold: 8, windowMs: 60_000, openMs: 30_000 },
  thinning: { backlogHigh: 5_000, minKeep: 0.1 },
  /** A replay run (POST .../dlq/replay after the simulation's run ended): these DLQ entries instead of new records. */
  replay: { entries: [] as unknown[], useFullRetry: false },
  retry: {
    contact: { attempts: 3, backoffMs: [2000, 8000] },
    note: { attempts: 2, backoffMs: [3000] },
    call: { attempts: 2, backoffMs: [3000] },
    task: { attempts: 2, backoffMs: [3000] },
    ticket: { attempts: 2, backoffMs: [3000] },
  } as Record<JobType, RetrySpec>,
};

export type CrmPolicies = typeof CRM_POLICY_DEFAULTS;

const range = (max: number) =>
  z
    .tuple([z.number().int().min(0).max(max), z.number().int().min(0).max(max)])
    .refine(([a, b]) => a <= b, 'min above max');
const secondarySpec = z.strictObject({
  probability: z.number().min(0).max(1),
  maxPerRecord: z.number().int().min(0).max(20),
  budget: z.number().int().min(0).max(10_000_000),
});
const retrySpec = z.strictObject({
  attempts: z.number().int().min(1).max(10),
  backoffMs: z.array(z.number().int().min(0).max(3_600_000)).max(10),
});
const rate = z.number().min(0).max(1);

const planned = z.strictObject({
  type: z.enum(SECONDARY_TYPES),
  ordinal: z.number().int().min(0).max(20),
  delayMs: z.number().int().min(0).max(86_400_000),
});
const dlqEntrySchema = z.strictObject({
  key: z.string().max(200),
  record: z.number().int().min(0),
  type: z.enum(JOB_TYPES),
  ordinal: z.number().int().min(0).max(20),
  category: z.enum(['auth', 'rate_limit', 'validation', 'server', 'network']),
  attempts: z.number().int().min(0),
  message: z.string().max(1000),
  atMs: z.number().int().min(0),
  items: z.number().int().min(1).max(100),
  invalid: z.boolean().optional(),
  dependents: z.array(planned).max(100).optional(),
  contactId: z.string().max(64).optional(),
});

/** Largest simulation a request may ask for: the window and the records bound a run's size. */
export const CRM_LIMITS = { maxWindowHours: 24 * 7, maxTotalRecords: 100_000 };

export const crmPoliciesSchema = z
  .strictObject({
    simulation: z.string().min(1).max(64),
    startTime: z.iso.datetime({ offset: true }),
    windowHours: z.number().positive().max(CRM_LIMITS.maxWindowHours),
    totalRecords: z.number().int().min(0).max(CRM_LIMITS.maxTotalRecords),
    distribution: z.enum(DISTRIBUTIONS),
    secondary: z
      .strictObject({ note: secondarySpec, call: secondarySpec, task: secondarySpec, ticket: secondarySpec })
      .partial(),
    secondaryDelayMs: range(86_400_000),
    invalidShare: rate,
    sink: z.enum(['model', 'http']),
    tier: z.enum(Object.keys(TIERS) as [keyof typeof TIERS]),
    dailyLimit: z.number().int().min(0).max(10_000_000),
    faults: z
      .strictObject({ serverError: rate, timeout: rate, reset: rate, expiredToken: rate, throttle500: rate })
      .partial(),
    crmLatencyMs: range(60_000),
    batchSize: z.number().int().min(1).max(100),
    batchWaitMs: z.number().int().min(0).max(60_000),
    maxInFlight: z.number().int().min(1).max(64),
    requestTimeoutMs: z.number().int().min(100).max(120_000),
    windowHeadroom: z.number().int().min(0).max(100),
    cooldownMs: z.number().int().min(0).max(600_000),
    breaker: z.strictObject({
      failureThreshold: z.number().int().min(1).max(1000),
      windowMs: z.number().int().min(1000).max(3_600_000),
      openMs: z.number().int().min(100).max(3_600_000),
    }),
    thinning: z.strictObject({
      backlogHigh: z.number().int().min(1).max(1_000_000),
      minKeep: z.number().min(0).max(1),
    }),
    replay: z.strictObject({ entries: z.array(dlqEntrySchema).max(100), useFullRetry: z.boolean() }),
    retry: z
      .strictObject({ contact: retrySpec, note: retrySpec, call: retrySpec, task: retrySpec, ticket: retrySpec })
      .partial(),
  })
  .partial();

export const crmPolicy = policyReader(CRM_POLICY_DEFAULTS);

/** Policies whose value is an object of parts: a scenario or request naming one part keeps the defaults of the rest. */
export function secondarySpecOf(ctx: { param<T>(name: string): T }, type: SecondaryType): SecondarySpec {
  return crmPolicy(ctx, 'secondary')[type] ?? CRM_POLICY_DEFAULTS.secondary[type];
}

export function retrySpecOf(ctx: { param<T>(name: string): T }, type: JobType): RetrySpec {
  return crmPolicy(ctx, 'retry')[type] ?? CRM_POLICY_DEFAULTS.retry[type];
}

export function faultsOf(ctx: { param<T>(name: string): T }) {
  return { ...NO_FAULTS, ...crmPolicy(ctx, 'faults') };
}
