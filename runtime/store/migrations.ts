// Numbered schema migrations. Append only: a released migration never changes, a new one is
// added with the next number. The store applies whatever a file has not seen yet, in order.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'core tables',
    sql: `
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        scenario TEXT NOT NULL,
        pack TEXT NOT NULL,
        seed INTEGER NOT NULL,
        status TEXT NOT NULL,
        scenario_json TEXT NOT NULL,
        options_json TEXT NOT NULL,
        digest TEXT,
        ticks INTEGER NOT NULL DEFAULT 0,
        sim_ms INTEGER NOT NULL DEFAULT 0,
        summary_json TEXT,
        error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE run_inputs (
        run_id TEXT NOT NULL REFERENCES runs(id),
        seq INTEGER NOT NULL,
        tick_ms INTEGER NOT NULL,
        kind TEXT NOT NULL,
        payload_json TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
      );
      CREATE TABLE run_metrics (
        run_id TEXT NOT NULL REFERENCES runs(id),
        sim_ms INTEGER NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        count INTEGER,
        value REAL,
        mean REAL, p50 REAL, p90 REAL, p95 REAL, p99 REAL, p999 REAL, max REAL,
        hdr TEXT,
        PRIMARY KEY (run_id, sim_ms, name)
      );
      CREATE TABLE run_violations (
        run_id TEXT NOT NULL REFERENCES runs(id),
        invariant_id TEXT NOT NULL,
        from_sim_ms INTEGER NOT NULL,
        to_sim_ms INTEGER NOT NULL,
        severity TEXT NOT NULL,
        metric TEXT NOT NULL,
        statistic TEXT NOT NULL,
        operator TEXT NOT NULL,
        threshold REAL NOT NULL,
        observed REAL NOT NULL,
        PRIMARY KEY (run_id, invariant_id, from_sim_ms)
      );
      CREATE TABLE run_checkpoints (
        run_id TEXT NOT NULL REFERENCES runs(id),
        tick_ms INTEGER NOT NULL,
        main_state BLOB NOT NULL,
        partitions BLOB,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, tick_ms)
      );
    `,
  },
  {
    version: 2,
    name: 'run listing index and run labels',
    sql: `
      CREATE INDEX runs_by_created ON runs(created_at DESC);
      ALTER TABLE runs ADD COLUMN label TEXT;
    `,
  },
  {
    version: 3,
    name: 'run owner (host:pid), so runs of a killed process can be marked interrupted',
    sql: `
      ALTER TABLE runs ADD COLUMN owner TEXT;
    `,
  },
  {
    version: 4,
    name: 'run lease: the owner process exactly (token, pid namespace and start time) and until when it holds the run',
    sql: `
      ALTER TABLE runs ADD COLUMN owner_token TEXT;
      ALTER TABLE runs ADD COLUMN owner_proc TEXT;
      ALTER TABLE runs ADD COLUMN lease_until INTEGER;
    `,
  },
];
