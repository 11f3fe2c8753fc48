// SimCRM's tables. Where the runbook kept state in Redis keys (sim:<id>:seg:*, the DLQ samples,
// thinning events) and MySQL (simulations, users), tickwork keeps it in the run store: the
// simulation's authoritative state is its actor (checkpointed with the run); these tables are
// what the HTTP surface reads, written from the run's events and keyed so a resumed run that
// re-emits an event writes the same row.
import type { Migration } from '../../../runtime/sdk.js';

export const CRM_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'simulations, their runs, users, DLQ entries, thinning events, segments',
    sql: `
      CREATE TABLE crm_users (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('boss', 'operator')),
        -- sha256 of the user's API token: the token itself is shown once, at creation.
        token_sha256 TEXT NOT NULL UNIQUE,
        -- The user's CRM token, AES-256-GCM with TOKEN_ENC_SECRET (iv.tag.ciphertext, base64url).
        crm_token_enc TEXT,
        created_at TEXT NOT NULL DEFAULT (datetime('now'))
      );
      CREATE TABLE crm_simulations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        scenario TEXT NOT NULL,
        start_time TEXT NOT NULL,
        end_time TEXT NOT NULL,
        distribution_method TEXT NOT NULL,
        total_records INTEGER NOT NULL,
        options_json TEXT NOT NULL,
        owner_id INTEGER REFERENCES crm_users (id),
        created_at TEXT NOT NULL DEFAULT (datetime('now'))
      );
      -- A simulation's runs: the first generates its records; later ones replay its DLQ.
      CREATE TABLE crm_simulation_runs (
        run_id TEXT PRIMARY KEY,
        simulation_id INTEGER NOT NULL REFERENCES crm_simulations (id),
        kind TEXT NOT NULL CHECK (kind IN ('generate', 'replay')),
        created_at TEXT NOT NULL DEFAULT (datetime('now'))
      );
      CREATE INDEX crm_simulation_runs_by_simulation ON crm_simulation_runs (simulation_id);
      -- Every job in the DLQ, by simulation; replayed_run_id is set when a replay took it out.
      CREATE TABLE crm_dlq (
        simulation_id INTEGER NOT NULL,
        job_key TEXT NOT NULL,
        run_id TEXT NOT NULL,
        record INTEGER NOT NULL,
        type TEXT NOT NULL,
        category TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        message TEXT NOT NULL,
        at_sim_ms INTEGER NOT NULL,
        items INTEGER NOT NULL,
        entry_json TEXT NOT NULL,
        replayed_run_id TEXT,
        PRIMARY KEY (simulation_id, job_key)
      );
      CREATE TABLE crm_thinning_events (
        run_id TEXT NOT NULL,
        sim_ms INTEGER NOT NULL,
        before REAL NOT NULL,
        after REAL NOT NULL,
        factor REAL NOT NULL,
        total_waiting INTEGER NOT NULL,
        breaker TEXT NOT NULL,
        PRIMARY KEY (run_id, sim_ms)
      );
      CREATE TABLE crm_segments (
        run_id TEXT NOT NULL,
        idx INTEGER NOT NULL,
        count INTEGER NOT NULL,
        first_record INTEGER NOT NULL,
        start_ms INTEGER NOT NULL,
        expanded_at_ms INTEGER NOT NULL,
        PRIMARY KEY (run_id, idx)
      );
    `,
  },
];
