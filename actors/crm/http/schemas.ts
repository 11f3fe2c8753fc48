// What SimCRM's HTTP routes accept, validated at the edge: a bad field answers 400 with its path.
import { z } from 'zod';
import { CRM_LIMITS, DISTRIBUTIONS } from '../sim/policies.js';
import { DLQ_CATEGORIES } from '../sim/outcome.js';

/** The runbook's names (uniform, front-loaded, business hours) as users type them, to the policy's. */
const distribution = z
  .string()
  .transform((s) =>
    s
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_'),
  )
  .pipe(z.enum(DISTRIBUTIONS, { error: `one of ${DISTRIBUTIONS.join(', ')} (or 'front-loaded', 'business hours')` }));

export const createSimulationBody = z
  .strictObject({
    start_time: z.iso.datetime({ offset: true, error: 'an ISO 8601 date-time, like 2026-01-05T09:00:00Z' }),
    end_time: z.iso.datetime({ offset: true, error: 'an ISO 8601 date-time, like 2026-01-05T17:00:00Z' }),
    scenario: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/)
      .default('b2b'),
    distribution_method: distribution.default('uniform'),
    total_records: z.number().int().min(1).max(CRM_LIMITS.maxTotalRecords),
    seed: z.number().int().min(0).max(0xffffffff).optional(),
    /**
     * `http` posts to CRM_BASE_URL with the owner's stored CRM token (or HUBSPOT_API_TOKEN); paced 1:1 unless `pace`
     * says otherwise.
     */
    sink: z.enum(['model', 'http']).default('model'),
    pace: z.union([z.literal('turbo'), z.number().positive().max(1_000_000)]).optional(),
  })
  .superRefine((b, ctx) => {
    const windowMs = Date.parse(b.end_time) - Date.parse(b.start_time);
    if (!(windowMs > 0)) ctx.addIssue({ code: 'custom', path: ['end_time'], message: 'must be after start_time' });
    else if (windowMs > CRM_LIMITS.maxWindowHours * 3_600_000)
      ctx.addIssue({
        code: 'custom',
        path: ['end_time'],
        message: `at most ${CRM_LIMITS.maxWindowHours} hours after start_time`,
      });
  });

export const replayBody = z.strictObject({
  /** Defaults to a dry run: the runbook's first step, and the safe one. */
  dryRun: z.boolean().default(true),
  categories: z.array(z.enum(DLQ_CATEGORIES)).min(1).max(DLQ_CATEGORIES.length).optional(),
  limit: z.number().int().min(1).max(100_000).default(50),
  useFullRetry: z.boolean().default(false),
});

export const listQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(20) });

export const simulationIdParam = z.strictObject({ id: z.coerce.number().int().positive() });
