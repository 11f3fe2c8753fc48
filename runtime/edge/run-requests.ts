// The bodies and query strings of the run routes (the server's generic ones and a pack's own
// start/stop/policy/event routes), validated once at the edge with zod. Policies and event
// parameters are checked again against the pack's contract by the registry.
import { z } from 'zod';
import { TickworkError } from '../errors.js';
import { SWEEP_LIMITS } from '../sweep/sweep-plan.js';

const pace = z.union([z.literal('turbo'), z.number().positive().max(1e9)]);
const runId = z.string().min(1).max(100);
const record = z.record(z.string(), z.unknown());

export const startRunBody = z.strictObject({
  scenario: z.string().min(1).max(500),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
  policies: record.optional(),
  /** Real minutes the run should last (the runbook's timed drills). */
  durationMinutes: z.number().positive().max(525_600).optional(),
  pace: pace.optional(),
  workers: z.number().int().min(0).max(64).optional(),
  /** End the run at the first critical gate failure (status failed). */
  failFast: z.boolean().optional(),
});

/** `POST /api/sweeps`: the CLI's sweep as a body (seeds as `1..20,42` or a list; policies name -> values). */
export const startSweepBody = z.strictObject({
  scenario: z.string().min(1).max(500),
  seeds: z.union([
    z.string().min(1).max(1000),
    z.array(z.number().int().min(0).max(SWEEP_LIMITS.maxSeed)).min(1).max(SWEEP_LIMITS.maxRuns),
  ]),
  policies: z.record(z.string(), z.array(z.unknown()).min(1).max(SWEEP_LIMITS.maxValues)).optional(),
  parallel: z.number().int().min(1).max(64).optional(),
  pace: pace.optional(),
  workers: z.number().int().min(0).max(64).optional(),
  /** Sim duration of each run, as the CLI's --duration ('10m', '6h'); default the scenario's. */
  duration: z.string().min(2).max(20).optional(),
});

export const waitQuery = z.object({ timeoutS: z.coerce.number().min(0).max(600).default(30) });

export const policyBody = z.strictObject({ policies: record, runId: runId.optional() });

export const eventBody = z.strictObject({
  type: z.string().min(1).max(100),
  /** Sim minutes the event lasts from the tick it starts at. */
  durationMin: z.number().positive().max(525_600),
  parameters: record.default({}),
  runId: runId.optional(),
});

export const stopBody = z.strictObject({ runId: runId.optional(), reason: z.string().max(200).optional() });

export const summaryQuery = z.object({ runId: runId.default('latest') });

export const seriesQuery = z.object({
  metric: z.string().min(1).max(200),
  statistic: z.enum(['count', 'value', 'mean', 'p50', 'p95', 'p99', 'max']).default('p95'),
});

export const compareQuery = z.object({ a: runId, b: runId });

export const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(50) });

export function actorIdParam(raw: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id < 0)
    throw new TickworkError('TW_ERR_VALIDATION', `actorId: expected a non-negative integer, got '${raw}'`, 'actorId');
  return id;
}
