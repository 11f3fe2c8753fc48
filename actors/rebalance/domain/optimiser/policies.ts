// The two rebalancing policies behind one call, by the runbook's version names. The global policy
// gets a time budget; past it (or on a solver error) the bucket falls back to greedy, and the
// result says so with the reason: the fallback_rate and timeout_rate of the rollout gates.
import { greedyMoves } from './greedy.js';
import { globalMoves } from './global-lp.js';
import { arcKm, objective, type ObjectiveBreakdown } from './objective.js';
import type { Move, RebalanceProblem } from './problem.js';

export const POLICY_VERSIONS = ['rebal.greedy.v1', 'rebal.global.v1'] as const;
export type PolicyVersion = (typeof POLICY_VERSIONS)[number];

export interface PolicyResult {
  version: PolicyVersion;
  moves: Move[];
  objective: ObjectiveBreakdown;
  /** Set when the global policy fell back to greedy: `timeout` or `error`, with why. */
  fallback?: { cause: 'timeout' | 'error'; reason: string };
  solveMs: number;
}

/** `now` reads a monotonic clock in ms (the caller's: a pool thread's, or a bench's). */
export async function runPolicy(
  version: PolicyVersion,
  problem: RebalanceProblem,
  budgetMs: number,
  now: () => number,
): Promise<PolicyResult> {
  const started = now();
  const km = arcKm(problem);
  const done = (moves: Move[], fallback?: PolicyResult['fallback']): PolicyResult => ({
    version,
    moves,
    objective: objective(problem, moves, km),
    ...(fallback ? { fallback } : {}),
    solveMs: now() - started,
  });
  if (version === 'rebal.greedy.v1') return done(greedyMoves(problem));
  const global = await globalMoves(problem, budgetMs);
  if (global.status === 'optimal') return done(global.moves);
  return done(greedyMoves(problem), { cause: global.status, reason: global.reason });
}
