// The demo's live-adjustable policies (`tickwork run dealflight`), with defaults and their schema.
import { z } from 'zod';
import { policyReader } from '../../../runtime/sdk.js';

export const DEMO_POLICY_DEFAULTS = {
  /** Synthetic sales reps. */
  reps: 40,
  /** Open quotes; quote q is in the book of rep q mod reps. */
  quotes: 1000,
  /**
   * Chance a rep's next comparison is on a quote outside its own book (a colleague's deal it helps
   * with, a deal-desk review): the only way two reps touch one quote, so the source of the stale
   * promotions the runbook's promotion failure rate counts.
   */
  sharedQuoteChance: 0.1,
  /** A rep's mean think time between `/quote simulate` commands (sim minutes). */
  requestEveryMin: 6,
  /** Chance a rep mistypes a command (the parser refuses it: a failed request). */
  typoChance: 0.005,
  /** Chance a rep promotes the top-ranked valid variant of a comparison. */
  promoteChance: 0.3,
  /** Variants per command, at most (the desk's bound, DEALFLIGHT_MAX_VARIANTS, is 3 by default). */
  maxVariants: 3,
};

export type DemoPolicies = typeof DEMO_POLICY_DEFAULTS;

export const demoPoliciesSchema = z
  .strictObject({
    reps: z.number().int().min(1).max(100_000),
    quotes: z.number().int().min(1).max(1_000_000),
    sharedQuoteChance: z.number().min(0).max(1),
    requestEveryMin: z.number().positive().max(10_000),
    typoChance: z.number().min(0).max(1),
    promoteChance: z.number().min(0).max(1),
    maxVariants: z.number().int().min(1).max(10),
  })
  .partial();

export const demoPolicy = policyReader(DEMO_POLICY_DEFAULTS);
