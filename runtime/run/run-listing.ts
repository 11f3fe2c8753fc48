// One stored run as a list shows it (`tickwork runs`, GET /api/runs, /admin): its row's facts and,
// once it ended, the verdict and wall time from its summary.
import { isoTime } from '../pacing.js';
import type { RunRow } from '../store/store.js';
import { type RunSummary, verdictOf } from './run-summary.js';

export function runListing(row: RunRow) {
  const summary = row.summary_json ? (JSON.parse(row.summary_json) as RunSummary) : undefined;
  return {
    runId: row.id,
    scenario: row.scenario,
    pack: row.pack,
    seed: row.seed,
    status: row.status,
    simMs: row.sim_ms,
    ticks: row.ticks,
    digest: row.digest,
    error: row.error ?? undefined,
    createdAt: isoTime(row.created_at),
    passed: summary?.passed,
    verdict: summary ? verdictOf(summary).toLowerCase() : '-',
    wallMs: summary?.wallMs,
  };
}
