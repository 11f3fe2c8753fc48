// A policy run's key, deterministic in what defines the run (runbook 004's /api/policy/run
// parameters): the same request names the same run, so a repeat finds it instead of queueing it
// again. Human-readable prefix, hashed suffix so any parameter text stays safe in a URL.
import { createHash } from 'node:crypto';

export interface RunKeyParts {
  systemId: string;
  /** Snapshot version of the station view the request was made against. */
  sv: string;
  policyVersion: string;
  /** Start of the time bucket, epoch seconds. */
  tBucket: number;
}

export function runKey(p: RunKeyParts): string {
  const canonical = JSON.stringify([p.systemId, p.sv, p.policyVersion, p.tBucket]);
  const digest = createHash('sha256').update(canonical).digest('hex').slice(0, 16);
  return `${p.policyVersion}:${p.tBucket}:${digest}`;
}
