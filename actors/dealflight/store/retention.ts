// Deal Flight's retention rules (runtime/store/retention.ts): a what-if run and everything hung
// on it leave together once older than the retention; the catalogue, quotes and settings are
// state, not history, and stay.
import type { RetentionRule } from '../../../runtime/sdk.js';

const OLD_RUNS = 'SELECT id FROM deal_flight_scenario_run WHERE created_at < @cutoffText';

export const DEAL_FLIGHT_RETENTION: readonly RetentionRule[] = [
  { table: 'deal_flight_scenario_variant', rule: 'with its scenario run', where: `scenario_run_id IN (${OLD_RUNS})` },
  { table: 'deal_flight_scenario_delta', rule: 'with its scenario run', where: `scenario_run_id IN (${OLD_RUNS})` },
  { table: 'deal_flight_promotion', rule: 'with its scenario run', where: `scenario_run_id IN (${OLD_RUNS})` },
  {
    table: 'deal_flight_scenario_audit',
    rule: 'older than the retention (refusals are stored at most once per cause per minute)',
    where: 'occurred_at < @cutoffText',
  },
  {
    table: 'deal_flight_scenario_run',
    rule: 'older than the retention',
    where: 'created_at < @cutoffText',
  },
  {
    table: 'deal_flight_slack_seen',
    rule: "Slack signatures: the route keeps only the replay window's; anything older than an hour here",
    where: 'seen_at < @nowMs / 1000 - 3600',
  },
  { table: 'deal_flight_quote', rule: 'kept: the quotes a deal desk works on (state, not history)' },
  { table: 'deal_flight_catalogue', rule: 'kept: catalogue versions that scenario runs name' },
  { table: 'deal_flight_setting', rule: 'kept: settings' },
];
