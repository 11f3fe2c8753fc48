// The chaos events of runbook 001 and what their parameters may be. The scheduler turns an active
// event into the param `event.<TYPE>`; the booking-API model reads it through `activeEvent`.
import { z } from 'zod';

export const CHAOS_EVENT_SCHEMAS = {
  /** Writes and deploys flush cached search results: this share of entries per sim minute. */
  CACHE_INVALIDATION_STORM: z.strictObject({ invalidationRate: z.number().min(0).max(1).default(0.8) }),
  /** The materialised view stops refreshing; searches read ever older availability. */
  PAUSE_MV_REFRESH: z.strictObject({ pauseDuration: z.number().positive().optional() }),
  /** A row-level-security policy is wrong: `admin_access` denies every write, others half of all calls. */
  RLS_MISCONFIG: z.strictObject({ misconfigType: z.string().min(1).default('admin_access') }),
  /** Traffic arrives in a burst: more sessions and each call costs `multiplier` rate-limit units. */
  RATE_LIMIT_BURST: z.strictObject({ multiplier: z.number().min(1).max(1000).default(2) }),
} as const;

export type ChaosEventType = keyof typeof CHAOS_EVENT_SCHEMAS;
export type ChaosParameters<T extends ChaosEventType> = z.output<(typeof CHAOS_EVENT_SCHEMAS)[T]>;

/** The parameters of an active event, with defaults filled in; undefined when it is not active. */
export function activeEvent<T extends ChaosEventType>(
  ctx: { param<V>(name: string): V },
  type: T,
): ChaosParameters<T> | undefined {
  const raw = ctx.param<Record<string, unknown> | undefined>(`event.${type}`);
  if (raw === undefined) return undefined;
  const { startedAtMs: _s, endsAtMs: _e, ...parameters } = raw;
  const parsed = CHAOS_EVENT_SCHEMAS[type].safeParse(parameters);
  // Scenario and HTTP edges validate; a bad value that slipped through falls back to defaults.
  return (parsed.success ? parsed.data : CHAOS_EVENT_SCHEMAS[type].parse({})) as ChaosParameters<T>;
}
