// The rebalance pack's tables. `policy_runs` and `policy_moves` carry the runbook's names and
// columns, so its dashboard queries run against them (written for SQLite: actors/rebalance/README.md).
// Timestamps are SQLite's `datetime('now')` text (UTC `YYYY-MM-DD HH:MM:SS`), so
// `created_at >= datetime('now', '-15 minutes')` compares like with like.
import type { Migration } from '../../../runtime/sdk.js';

export const REBALANCE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'systems, station snapshots, policy runs and moves, settings, rollout incidents',
    sql: `
      -- A bike-share system: its stations and demand profile (city.ts), imported or synthetic.
      CREATE TABLE rebalance_systems (
        system_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        city_json TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (datetime('now'))
      );
      -- Station views by snapshot version (sv): bikes per station, in the city's station order.
      CREATE TABLE rebalance_snapshots (
        system_id TEXT NOT NULL REFERENCES rebalance_systems (system_id),
        sv INTEGER NOT NULL,
        bikes_json TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (datetime('now')),
        PRIMARY KEY (system_id, sv)
      );
      CREATE TABLE policy_runs (
        run_id TEXT PRIMARY KEY,
        system_id TEXT NOT NULL,
        sv INTEGER NOT NULL,
        policy_version TEXT NOT NULL,
        t_bucket INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'ready', 'error', 'canceled')),
        -- 1 when the run was computed beside the served one and not served (shadow mode).
        shadow INTEGER NOT NULL DEFAULT 0,
        no_op INTEGER,
        error_reason TEXT,
        timed_out INTEGER NOT NULL DEFAULT 0,
        fell_back INTEGER NOT NULL DEFAULT 0,
        fallback_reason TEXT,
        objective REAL,
        -- Greedy's objective on the same snapshot, for objective_delta_ratio.
        greedy_objective REAL,
        created_at TEXT NOT NULL DEFAULT (datetime('now')),
        started_at TEXT,
        finished_at TEXT,
        queue_ms REAL,
        solve_ms REAL
      );
      CREATE INDEX policy_runs_created ON policy_runs (created_at);
      CREATE TABLE policy_moves (
        run_id TEXT NOT NULL REFERENCES policy_runs (run_id),
        seq INTEGER NOT NULL,
        from_station TEXT NOT NULL,
        to_station TEXT NOT NULL,
        bikes INTEGER NOT NULL,
        PRIMARY KEY (run_id, seq)
      );
      CREATE TABLE rebalance_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL DEFAULT (datetime('now'))
      );
      -- The runbook's incident note template, one row per automatic or manual rollback.
      CREATE TABLE rollout_incidents (
        id INTEGER PRIMARY KEY,
        stage TEXT NOT NULL,
        trigger_metrics TEXT NOT NULL,
        first_observed_at TEXT NOT NULL,
        kill_switch_applied INTEGER NOT NULL,
        action TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (datetime('now'))
      );
    `,
  },
];
