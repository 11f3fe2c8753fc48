// The rebalance pack's retention rules (runtime/store/retention.ts). Policy runs are also pruned
// by the policy API itself (POLICY_RUNS_RETENTION_DAYS); snapshots keep each system's newest.
import type { RetentionRule } from '../../../runtime/sdk.js';

const OLD_POLICY_RUNS = "SELECT run_id FROM policy_runs WHERE status != 'pending' AND created_at < @cutoffText";

/** Policy runs and their moves: also applied by the policy API itself, hourly, at POLICY_RUNS_RETENTION_DAYS. */
export const POLICY_RUN_RETENTION: readonly RetentionRule[] = [
  { table: 'policy_moves', rule: 'with its policy run', where: `run_id IN (${OLD_POLICY_RUNS})` },
  {
    table: 'policy_runs',
    rule: 'finished runs older than the retention (POLICY_RUNS_RETENTION_DAYS prunes them too); pending ones stay',
    where: "status != 'pending' AND created_at < @cutoffText",
  },
];

export const REBALANCE_RETENTION: readonly RetentionRule[] = [
  ...POLICY_RUN_RETENTION,
  {
    table: 'rebalance_snapshots',
    rule: "older than the retention, except each system's newest",
    where:
      'created_at < @cutoffText AND sv < (SELECT MAX(s.sv) FROM rebalance_snapshots s WHERE s.system_id = rebalance_snapshots.system_id)',
  },
  { table: 'rollout_incidents', rule: 'older than the retention', where: 'created_at < @cutoffText' },
  { table: 'rebalance_systems', rule: 'kept: the systems the policy API serves' },
  { table: 'rebalance_settings', rule: 'kept: settings (the kill switch)' },
];
