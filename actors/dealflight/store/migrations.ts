// Deal Flight's tables, numbered per pack (schema_migrations keys them by pack and version).
// Table and column names are the runbook's: its four operational queries run against them as
// written. Timestamps are SQLite's own `datetime('now')` text (UTC `YYYY-MM-DD HH:MM:SS`), so
// `created_at > datetime('now', '-1 day')` compares like with like.
import type { Migration } from '../../../runtime/sdk.js';

export const DEALFLIGHT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'catalogue versions, quotes, scenario runs, variants, deltas, audit, promotions, settings',
    sql: `
      -- Every catalogue ever loaded: a run names the version it was priced with, so parity
      -- re-evaluates it against the same one.
      CREATE TABLE deal_flight_catalogue (
        version INTEGER PRIMARY KEY,
        catalogue_json TEXT NOT NULL,
        loaded_at TEXT NOT NULL DEFAULT (datetime('now'))
      );
      CREATE TABLE deal_flight_quote (
        id TEXT PRIMARY KEY,
        quote_json TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL DEFAULT (datetime('now'))
      );
      CREATE TABLE deal_flight_scenario_run (
        id TEXT PRIMARY KEY,
        quote_id TEXT NOT NULL,
        correlation_id TEXT NOT NULL,
        command_text TEXT NOT NULL,
        status TEXT NOT NULL,
        variant_count INTEGER NOT NULL,
        approval_required_variant_count INTEGER NOT NULL,
        base_json TEXT NOT NULL,
        catalogue_version INTEGER NOT NULL REFERENCES deal_flight_catalogue (version),
        created_at TEXT NOT NULL DEFAULT (datetime('now')),
        updated_at TEXT NOT NULL DEFAULT (datetime('now'))
      );
      CREATE INDEX deal_flight_scenario_run_created ON deal_flight_scenario_run (created_at);
      CREATE TABLE deal_flight_scenario_variant (
        id INTEGER PRIMARY KEY,
        scenario_run_id TEXT NOT NULL REFERENCES deal_flight_scenario_run (id),
        variant_key TEXT NOT NULL,
        rank_order INTEGER NOT NULL,
        changes_json TEXT NOT NULL,
        quote_json TEXT NOT NULL,
        priced_json TEXT,
        policy_result_json TEXT NOT NULL,
        selected_for_promotion INTEGER NOT NULL DEFAULT 0,
        UNIQUE (scenario_run_id, variant_key)
      );
      -- Exactly one promoted variant per run, whatever races above it.
      CREATE UNIQUE INDEX deal_flight_one_promotion_per_run ON deal_flight_scenario_variant (scenario_run_id) WHERE selected_for_promotion = 1;
      CREATE TABLE deal_flight_scenario_delta (
        scenario_run_id TEXT NOT NULL REFERENCES deal_flight_scenario_run (id),
        variant_key TEXT NOT NULL,
        net_minor INTEGER NOT NULL,
        discount_bps INTEGER NOT NULL,
        margin_bps INTEGER NOT NULL,
        approval_from TEXT,
        approval_to TEXT,
        PRIMARY KEY (scenario_run_id, variant_key)
      );
      CREATE TABLE deal_flight_scenario_audit (
        id INTEGER PRIMARY KEY,
        event_type TEXT NOT NULL,
        quote_id TEXT,
        correlation_id TEXT,
        scenario_run_id TEXT,
        variant_key TEXT,
        variant_count INTEGER,
        approval_required_variant_count INTEGER,
        latency_ms REAL,
        outcome TEXT,
        error_code TEXT,
        occurred_at TEXT NOT NULL DEFAULT (datetime('now'))
      );
      CREATE INDEX deal_flight_scenario_audit_occurred ON deal_flight_scenario_audit (occurred_at);
      -- A promote action's idempotency key: a retry or a double click answers what the first did.
      CREATE TABLE deal_flight_promotion (
        idempotency_key TEXT PRIMARY KEY,
        scenario_run_id TEXT NOT NULL,
        variant_key TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (datetime('now'))
      );
      -- Operator switches that outlive a restart (the runbook's rollback: the command route's kill switch).
      CREATE TABLE deal_flight_setting (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL DEFAULT (datetime('now'))
      );
    `,
  },
  {
    version: 2,
    name: 'Slack signatures seen inside the replay window, shared by every process on the store',
    sql: `
      CREATE TABLE deal_flight_slack_seen (
        signature TEXT PRIMARY KEY,
        seen_at INTEGER NOT NULL
      );
      CREATE INDEX deal_flight_slack_seen_at ON deal_flight_slack_seen (seen_at);
    `,
  },
];
