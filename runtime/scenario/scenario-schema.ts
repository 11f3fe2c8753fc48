// What a scenario file may say, validated once at the edge. Scenarios are data: a pack, a
// duration, policies (live-adjustable params), a timeline of events and invariants.
import { RUN_LIMITS } from '../limits.js';
import { MAX_PARTITIONS } from '../placement.js';
import { z } from 'zod';

export const invariantSchema = z.strictObject({
  id: z.string().min(1),
  description: z.string().optional(),
  metric: z.string().min(1),
  statistic: z.enum([
    'count',
    'min',
    'mean',
    'p50',
    'p90',
    'p95',
    'p99',
    'p999',
    'max',
    'sum',
    'value',
    'trend_per_day',
  ]),
  /** Divide by the same statistic of this metric (a rate: errors over requests). */
  over: z.string().min(1).optional(),
  operator: z.enum(['<', '<=', '>', '>=', '==', '!=']),
  threshold: z.number(),
  severity: z.enum(['critical', 'warning']),
  /** Sliding window in sim minutes; omitted: cumulative over the whole run. */
  windowMin: z.number().positive().optional(),
  /** Judge only at the end of the run instead of at every interval as well. */
  endOfRunOnly: z.boolean().optional(),
  /** Too few observations to judge: below this count (of the metric, or of `over`) the gate waits. */
  minCount: z.number().int().positive().optional(),
  /**
   * A counter whose sum is the sample size `minCount` counts, when neither the metric nor `over`
   * counts samples (a ratio of two sums of objective values is judged on the runs behind them).
   */
  samples: z.string().min(1).optional(),
  /** A critical gate that never gets enough data fails the run unless it is optional. */
  optional: z.boolean().optional(),
});

/**
 * An invariant in a scenario file: a full spec, or the id of one in the pack's catalogue. Picked
 * by type rather than with z.union, so an error in a full spec keeps its field path.
 */
export const invariantRefSchema = z.unknown().pipe(
  z.custom<string | z.infer<typeof invariantSchema>>().superRefine((value, ctx) => {
    if (typeof value === 'string') {
      if (value.length === 0) ctx.addIssue({ code: 'custom', message: 'invariant id must not be empty' });
      return;
    }
    const parsed = invariantSchema.safeParse(value);
    if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: issue.path } as never);
  }),
);

export const eventSchema = z.strictObject({
  type: z.string().min(1),
  /** Sim minutes from the start of the run. */
  triggerAt: z.number().nonnegative(),
  /** Sim minutes. */
  duration: z.number().positive(),
  parameters: z.record(z.string(), z.unknown()).default({}),
});

export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _'),
  description: z.string().default(''),
  pack: z.string().min(1),
  tickMs: z.number().int().positive().default(1000),
  partitions: z.number().int().min(1).max(MAX_PARTITIONS).default(16),
  duration: z
    .strictObject({
      // Ten sim years at most: past that, sim ms leave the integers a double holds exactly.
      simHours: z.number().positive().max(87_600).optional(),
      simMinutes: z.number().positive().max(5_256_000).optional(),
      /** Runbook wall-clock length; sets the default paced ratio. */
      realMinutes: z.number().positive().optional(),
      /** A service run: no end of its own, paced 1:1 by default, ended by a stop or a signal. */
      openEnded: z.literal(true).optional(),
    })
    .refine(
      (d) => (d.simHours !== undefined || d.simMinutes !== undefined) !== (d.openEnded === true),
      'give simHours or simMinutes, or openEnded: true',
    ),
  policies: z.record(z.string(), z.unknown()).default({}),
  events: z.array(eventSchema).default([]),
  invariants: z.array(invariantRefSchema).default([]),
  metricsIntervalMin: z.number().positive().default(1),
  checkpointEveryMin: z.number().positive().default(60),
  /**
   * Wall seconds one tick may take in the workers before the run fails naming the actor being
   * stepped (an endless loop would otherwise wedge the run). Inline runs (workers 0) cannot be
   * watched: the loop would hold the only thread.
   */
  tickWatchdogSec: z.number().positive().max(RUN_LIMITS.maxTickWatchdogSec).default(RUN_LIMITS.tickWatchdogSec),
  /**
   * A chaos scenario judges recovery, not the storm itself: windowed gates are not judged while
   * a window overlaps an event or its grace; each event gets a recovery gate (the listed gates
   * back within their thresholds, on samples after the event ended, within `withinMin`).
   */
  ramp: z
    .strictObject({
      /** A numeric policy of the scenario, multiplied by `factor` every `everyMin` sim minutes. */
      policy: z.string().min(1),
      factor: z.number().positive().max(100),
      everyMin: z.number().positive(),
      /** A counter whose rate per sim second is the load reported at the breaking point. */
      loadMetric: z.string().min(1),
    })
    .optional(),
  chaos: z
    .strictObject({
      graceMin: z.number().min(0).max(1440).default(10),
      recovery: z
        .strictObject({
          gates: z.array(z.string().min(1)).min(1).max(20),
          withinMin: z.number().positive().max(1440),
          /** Samples after the event a gate needs before it can count as recovered. */
          minCount: z.number().int().positive().max(100_000).default(20),
        })
        .optional(),
    })
    .optional(),
});

/** A validated scenario, with invariant ids resolved against the catalogues. */
export type Scenario = Omit<z.infer<typeof scenarioSchema>, 'invariants'> & { invariants: InvariantSpec[] };
export type InvariantSpec = z.infer<typeof invariantSchema>;
export type ScenarioEvent = z.infer<typeof eventSchema>;

/** The duration of a run that has none: it runs until stopped. */
export const OPEN_ENDED_MS = Number.MAX_SAFE_INTEGER;

export function isOpenEnded(durationMs: number): boolean {
  return durationMs >= OPEN_ENDED_MS;
}

export function scenarioDurationMs(s: Scenario): number {
  if (s.duration.openEnded) return OPEN_ENDED_MS;
  return Math.round(
    s.duration.simHours !== undefined ? s.duration.simHours * 3_600_000 : s.duration.simMinutes! * 60_000,
  );
}

/** Sim ms per real ms that plays the scenario in its runbook wall-clock length; undefined if none. */
export function scenarioDefaultPace(s: Scenario): number | undefined {
  // A service keeps wall-clock time: one sim ms per real ms.
  if (s.duration.openEnded) return 1;
  if (s.duration.realMinutes === undefined) return undefined;
  return scenarioDurationMs(s) / (s.duration.realMinutes * 60_000);
}
