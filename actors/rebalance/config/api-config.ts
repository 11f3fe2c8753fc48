// The policy service's settings, read once at start from the environment (runbook 004's names
// where it has them). A bad value is refused then, naming the variable, not found by users later.
import { envFlag, envNumber, TickworkError } from '../../../runtime/sdk.js';
import { policyConfigFromEnv, type PolicyConfig } from '../domain/rollout/policy-config.js';
import { STAGES, type Stage } from '../domain/rollout/rollout-gates.js';

export interface ApiConfig {
  policy: PolicyConfig;
  /** NETWORK_DEGRADE_LEVEL: 0 (normal) to 3, for /api/time. */
  degradeLevel: number;
  /** System a request without system_id means (the runbook's cancel example names none). */
  defaultSystemId: string;
  globalBudgetMs: number;
  moveBudget: number;
  horizonMin: number;
  queueMax: number;
  /** New policy runs one client (address) may create per minute: a flood cannot starve the queue. */
  createsPerClientMin: number;
  /** Finished policy runs are kept this many days (POLICY_RUNS_RETENTION_DAYS). */
  retentionDays: number;
  rollout: {
    /** The stage being rolled out: gates judge it, and at `shadow` greedy runs get a global twin. */
    stage: Stage;
    autoRollback: boolean;
    /** How long the gates must fail before the automatic rollback (the runbook's 15 minutes). */
    sustainMin: number;
    checkSec: number;
    minSamples: number;
  };
}

export function apiConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const stage = (env.ROLLOUT_STAGE ?? 'shadow').trim();
  if (!(STAGES as readonly string[]).includes(stage))
    throw new TickworkError(
      'TW_ERR_VALIDATION',
      `ROLLOUT_STAGE: '${stage}' is not one of ${STAGES.join(', ')}`,
      'ROLLOUT_STAGE',
    );
  const defaultSystemId = (env.POLICY_SYSTEM_ID ?? 'demo').trim();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(defaultSystemId))
    throw new TickworkError(
      'TW_ERR_VALIDATION',
      `POLICY_SYSTEM_ID: '${defaultSystemId}' is not a system id`,
      'POLICY_SYSTEM_ID',
    );
  return {
    policy: policyConfigFromEnv(env),
    degradeLevel: envNumber(env, 'NETWORK_DEGRADE_LEVEL', 0, 0, 3),
    defaultSystemId,
    globalBudgetMs: envNumber(env, 'POLICY_GLOBAL_BUDGET_MS', 1000, 0, 60_000),
    moveBudget: envNumber(env, 'POLICY_MOVE_BUDGET', 500, 0, 1_000_000),
    horizonMin: envNumber(env, 'POLICY_HORIZON_MIN', 60, 15, 1440),
    queueMax: envNumber(env, 'POLICY_QUEUE_MAX', 100, 1, 10_000),
    createsPerClientMin: envNumber(env, 'POLICY_CREATES_PER_CLIENT_MIN', 30, 1, 100_000),
    retentionDays: envNumber(env, 'POLICY_RUNS_RETENTION_DAYS', 30, 1, 3650),
    rollout: {
      stage: stage as Stage,
      autoRollback: envFlag(env, 'ROLLOUT_AUTO_ROLLBACK'),
      sustainMin: envNumber(env, 'ROLLOUT_SUSTAIN_MIN', 15, 0, 1440),
      checkSec: envNumber(env, 'ROLLOUT_CHECK_SEC', 60, 1, 3600),
      minSamples: envNumber(env, 'ROLLOUT_MIN_SAMPLES', 20, 1, 100_000),
    },
  };
}
