// The execution simulator's policies: the fill model (the runbook's SIMULATION_* variables, which
// `tickwork exec serve` turns into these at start, so a run records what it ran with) and the
// synthetic traders of `tickwork run exec`.
import { z } from 'zod';
import { policyReader } from '../../../runtime/sdk.js';
import type { FillConfig } from '../domain/fill-model.js';

export const EXEC_POLICY_DEFAULTS = {
  model: 'uniform' as FillConfig['model'],
  minDelayMs: 100,
  maxDelayMs: 2000,
  partialFillChance: 0.1,
  slippageBps: 2,
  typicalQuantity: 100,
  /** The lot of a symbol not in `lotSizes`: partial fills are whole lots (1: whole shares). */
  lotSize: 1,
  /** Lots by symbol (`BTC-USD: 0.001`), for instruments traded in fractions. */
  lotSizes: {} as Record<string, number>,
  /** Synthetic trading agents (0 in the service: intents come from NATS). */
  traders: 20,
  /** A trader's mean think time between intents, sim ms. */
  intentEveryMs: 5000,
  limitShare: 0.3,
  /** Chance an agent sends an invalid intent (no correlation id). */
  invalidShare: 0.005,
};

export type ExecPolicies = typeof EXEC_POLICY_DEFAULTS;

/** A lot: a power of ten from a millionth to a million (0.001, 1, 100), so whole lots add up exactly. */
const lotSchema = z
  .number()
  .positive()
  .refine((n) => [-6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6].some((e) => n === Number(`1e${e}`)), {
    message: 'a lot is a power of ten from 0.000001 to 1000000',
  });

export const execPoliciesSchema = z
  .strictObject({
    model: z.enum(['uniform', 'size-aware']),
    minDelayMs: z.number().int().min(0).max(3_600_000),
    maxDelayMs: z.number().int().min(0).max(3_600_000),
    partialFillChance: z.number().min(0).max(1),
    slippageBps: z.number().min(0).max(10_000),
    typicalQuantity: z.number().positive().max(1e9),
    lotSize: lotSchema,
    lotSizes: z
      .record(z.string().regex(/^[A-Z0-9.\-/]{1,16}$/, 'upper-case ticker'), lotSchema)
      .refine((r) => Object.keys(r).length <= 1000, 'at most 1000 symbols'),
    traders: z.number().int().min(0).max(100_000),
    intentEveryMs: z.number().positive().max(86_400_000),
    limitShare: z.number().min(0).max(1),
    invalidShare: z.number().min(0).max(1),
  })
  .partial();

export const execPolicy = policyReader(EXEC_POLICY_DEFAULTS);

export function fillConfig(ctx: { param<T>(name: string): T }): FillConfig {
  const min = execPolicy(ctx, 'minDelayMs');
  return {
    model: execPolicy(ctx, 'model'),
    minDelayMs: min,
    maxDelayMs: Math.max(min, execPolicy(ctx, 'maxDelayMs')),
    partialFillChance: execPolicy(ctx, 'partialFillChance'),
    slippageBps: execPolicy(ctx, 'slippageBps'),
    typicalQuantity: execPolicy(ctx, 'typicalQuantity'),
    lotSize: (symbol) => execPolicy(ctx, 'lotSizes')[symbol] ?? execPolicy(ctx, 'lotSize'),
  };
}
