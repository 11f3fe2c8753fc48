// The rebalance pack's events: steering a running simulation as an operator would, from the
// scenario's timeline, `--event` on the CLI or POST /api/runs/:id/events.
import { z } from 'zod';

export const SIM_EVENT_SCHEMAS = {
  /** The kill switch: only rebal.greedy.v1 while active (POLICY_AVAILABLE_VERSIONS=rebal.greedy.v1). */
  KILL_SWITCH: z.strictObject({}),
  /** The solver gets `budgetMs` instead of its budget (0: every global run times out): the solver-timeout drill. */
  SOLVER_SLOWDOWN: z.strictObject({ budgetMs: z.number().min(0).max(60_000).default(0) }),
} as const;

export function killSwitchActive(ctx: { param<V>(name: string): V }): boolean {
  return ctx.param('event.KILL_SWITCH') !== undefined;
}

/** The solver budget an active SOLVER_SLOWDOWN imposes, if any. */
export function slowdownBudgetMs(ctx: { param<V>(name: string): V }): number | undefined {
  const raw = ctx.param<Record<string, unknown> | undefined>('event.SOLVER_SLOWDOWN');
  if (raw === undefined) return undefined;
  const parsed = SIM_EVENT_SCHEMAS.SOLVER_SLOWDOWN.safeParse({ budgetMs: raw.budgetMs });
  return parsed.success ? parsed.data.budgetMs : 0;
}
