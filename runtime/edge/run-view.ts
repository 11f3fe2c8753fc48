// What the edges show of a run: a hosted run's live view, and its summary (live while it runs,
// the stored one once it ended). Shared by the server's run routes and a pack's own routes.
import { TickworkError } from '../errors.js';
import type { HostedRun, RunRegistry } from '../run/run-registry.js';
import type { Store } from '../store/store.js';

export function runView(h: HostedRun) {
  const run = h.run;
  return {
    runId: run.id,
    scenario: run.options.scenario.name,
    pack: run.options.scenario.pack,
    seed: run.options.seed,
    status: run.status,
    simMs: run.simMs,
    durationMs: run.options.durationMs,
    pace: run.options.pace,
    workers: run.options.workers,
  };
}

/** A live summary for a hosted run, else the stored final one. */
export function summaryOf(runId: string, runs: RunRegistry, store: Store, pack?: string) {
  const hosted = runs.find(runId, pack);
  if (hosted) return hosted.run.summary();
  const row =
    runId === 'latest' ? store.listRuns(200).find((r) => pack === undefined || r.pack === pack) : store.getRun(runId);
  if (!row) {
    if (runId !== 'latest') throw notFound(runId);
    throw new TickworkError(
      'TW_ERR_RUN_NOT_FOUND',
      pack ? `no ${pack} run yet: POST /api/${pack}/start` : 'no run yet',
      'runId',
    );
  }
  if (!row.summary_json)
    throw new TickworkError(
      'TW_ERR_RUN_STATE',
      `run ${row.id} is ${row.status} and has no summary (resume it with tickwork resume ${row.id})`,
    );
  return JSON.parse(row.summary_json);
}

function notFound(runId: string): TickworkError {
  return new TickworkError('TW_ERR_RUN_NOT_FOUND', `unknown run '${runId}'`, 'runId');
}
