// The rows of the runtime's own tables, as the store reads and writes them.
import type { SealedSnapshot } from '../partition/sealed-snapshot.js';

export const RUN_STATUSES = ['running', 'completed', 'failed', 'stopped', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunRow {
  id: string;
  scenario: string;
  pack: string;
  seed: number;
  status: RunStatus;
  scenario_json: string;
  options_json: string;
  digest: string | null;
  ticks: number;
  sim_ms: number;
  summary_json: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
  /** host:pid of the process running it (null for rows written before owners were kept). */
  owner: string | null;
  /** The owner process exactly (a random id per process; null before leases). */
  owner_token: string | null;
  /** The owner's pid namespace and start time, `ns:ticks` (Linux; null elsewhere and before leases). */
  owner_proc: string | null;
  /** Wall epoch ms until which the owner holds the run; it renews the lease while it runs. */
  lease_until: number | null;
  /** What the run was started as part of (`sweep:<id>`), or any label its starter gave; null for none. */
  label: string | null;
}

export interface RunFilter {
  pack?: string;
  status?: string;
  scenario?: string;
  label?: string;
}

export interface InputRow {
  seq: number;
  tickMs: number;
  kind: string;
  payload: unknown;
}

export interface MetricRow {
  simMs: number;
  name: string;
  kind: 'histogram' | 'counter' | 'gauge';
  count?: number;
  value?: number;
  mean?: number;
  p50?: number;
  p90?: number;
  p95?: number;
  p99?: number;
  p999?: number;
  max?: number;
  hdr?: string;
}

export interface CheckpointRow {
  tickMs: number;
  main: unknown;
  partitions: SealedSnapshot[] | undefined;
}
