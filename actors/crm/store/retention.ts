// SimCRM's retention rules (runtime/store/retention.ts): a simulation run's DLQ, segments and
// thinning events leave with it; a simulation leaves once none of its runs is left. Users stay.
import type { RetentionRule } from '../../../runtime/sdk.js';

const OLD_RUNS = 'SELECT run_id FROM crm_simulation_runs WHERE created_at < @cutoffText';

export const CRM_RETENTION: readonly RetentionRule[] = [
  {
    table: 'crm_dlq',
    rule: "with its run: a dead-lettered job is replayable for the retention's length",
    where: `run_id IN (${OLD_RUNS})`,
  },
  { table: 'crm_segments', rule: 'with its run', where: `run_id IN (${OLD_RUNS})` },
  { table: 'crm_thinning_events', rule: 'with its run (also capped per run)', where: `run_id IN (${OLD_RUNS})` },
  { table: 'crm_simulation_runs', rule: 'older than the retention', where: 'created_at < @cutoffText' },
  {
    table: 'crm_simulations',
    rule: 'older than the retention once none of its runs is left',
    where: 'created_at < @cutoffText AND id NOT IN (SELECT simulation_id FROM crm_simulation_runs)',
  },
  { table: 'crm_users', rule: 'kept: accounts are removed by a boss, not by age' },
];
