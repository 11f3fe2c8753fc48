// The rebalance simulation's live-adjustable policies (`tickwork run rebalance`), with defaults.
import { z } from 'zod';
import { policyReader } from '../../../runtime/sdk.js';
import { POLICY_VERSIONS } from '../domain/optimiser/policies.js';
import { STAGES } from '../domain/rollout/rollout-gates.js';
import { citySourceSchema, type CitySource } from '../domain/city/city-source.js';

export const SIM_POLICY_DEFAULTS = {
  city: { synthetic: { stations: 600, seed: 7 } } as CitySource,
  /** The hour of the week the run starts at (0: Monday 00:00; 7: Monday 07:00, the morning rush). */
  startHour: 0,
  /** Districts per side of the grid: side x side truck crews, one policy run each per bucket. */
  districtSide: 5,
  /** The decision bucket (the runbook's T_bucket), sim minutes. */
  bucketMin: 15,
  /** How far ahead a plan looks at expected riders, sim minutes. */
  horizonMin: 60,
  /** Bikes one district's trucks can move per bucket. */
  movesPerDistrict: 20,
  /** Objective weights (objective.ts): an unmet rider, and one bike carried one km. */
  unmetWeight: 10,
  costPerBikeKm: 1,
  /** The rollout stage the run rehearses: which policy is served, and which gates judge it. */
  stage: 'shadow' as (typeof STAGES)[number],
  /** At the internal stage, the share of runs internal operators switch to the global policy. */
  internalShare: 0.3,
  /** What POLICY_AVAILABLE_VERSIONS says for this run; greedy alone is the kill switch. */
  availableVersions: [...POLICY_VERSIONS] as string[],
  /** The global policy's solver time budget, wall ms (past it: fallback to greedy). */
  globalBudgetMs: 1000,
  /** Roll back to greedy-only by itself after `rollbackAfterWindows` failing gate windows in a row. */
  autoRollback: false,
  rollbackAfterWindows: 2,
  /** Global-policy runs a gate window needs before a verdict. */
  gateMinSamples: 20,
};

export type SimPolicies = typeof SIM_POLICY_DEFAULTS;

export const simPoliciesSchema = z
  .strictObject({
    city: citySourceSchema,
    startHour: z.number().int().min(0).max(167),
    districtSide: z.number().int().min(1).max(40),
    bucketMin: z.number().int().min(1).max(240),
    horizonMin: z
      .number()
      .int()
      .min(15)
      .max(24 * 60),
    movesPerDistrict: z.number().int().min(0).max(100_000),
    unmetWeight: z.number().min(0).max(1e6),
    costPerBikeKm: z.number().min(0).max(1e6),
    stage: z.enum(STAGES),
    internalShare: z.number().min(0).max(1),
    availableVersions: z.array(z.enum(POLICY_VERSIONS)).min(1).max(POLICY_VERSIONS.length),
    globalBudgetMs: z.number().min(0).max(60_000),
    autoRollback: z.boolean(),
    rollbackAfterWindows: z.number().int().min(1).max(100),
    gateMinSamples: z.number().int().min(1).max(100_000),
  })
  .partial();

/** The city's clock: sim time plus the start hour, for the demand profile. */
export function cityClockMs(ctx: { now: number; param<T>(name: string): T }): number {
  return ctx.now + simPolicy(ctx, 'startHour') * 3_600_000;
}

export const simPolicy = policyReader(SIM_POLICY_DEFAULTS);
