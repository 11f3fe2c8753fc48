// The pool job behind each district's policy run: the served policy's moves and, when the global
// policy runs, greedy's on the same snapshot beside it (the shadow pair the objective_delta_ratio
// gate needs). Runs in a job-pool thread; its result enters the run as a logged input at a fixed
// sim delay (the job's resultAfterMs), so solver speed never changes the run, only timeouts do.
import { wallNowMs } from '../../../runtime/sdk.js';
import { runPolicy, type PolicyResult, type PolicyVersion } from '../domain/optimiser/policies.js';
import type { RebalanceProblem } from '../domain/optimiser/problem.js';

export interface PlanRequest {
  problem: RebalanceProblem;
  /** Run rebal.global.v1 (served or shadow) as well as greedy. */
  global: boolean;
  budgetMs: number;
}

export interface PlannedPolicy {
  version: PolicyVersion;
  moves: PolicyResult['moves'];
  objective: number;
  fallback?: PolicyResult['fallback'];
}

export interface PlanResult {
  greedy: PlannedPolicy;
  global?: PlannedPolicy;
}

const planned = (r: PolicyResult): PlannedPolicy => ({
  version: r.version,
  moves: r.moves,
  objective: Math.round(r.objective.total * 1000) / 1000,
  // No solve time: the result is a logged, digested input, and wall time would make two runs differ.
  // The scheduler records the job's wall time as the metric runtime.job_us.plan-district instead.
  ...(r.fallback ? { fallback: r.fallback } : {}),
});

export async function planDistrict(request: PlanRequest): Promise<PlanResult> {
  const greedy = planned(await runPolicy('rebal.greedy.v1', request.problem, request.budgetMs, wallNowMs));
  if (!request.global) return { greedy };
  return { greedy, global: planned(await runPolicy('rebal.global.v1', request.problem, request.budgetMs, wallNowMs)) };
}

export const PLAN_JOB = { url: import.meta.url, export: 'planDistrict' } as const;
