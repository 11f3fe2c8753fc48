// /healthz: cheap and always answering, even while a turbo run keeps every worker busy. It reads
// in-memory state and runs one trivial query; nothing here waits on a run.
import { SERVER_LIMITS } from '../../runtime/limits.js';
import { Router } from 'express';
import type { RunRegistry } from '../../runtime/run/run-registry.js';
import type { Store } from '../../runtime/store/store.js';
import { wallNowMs } from '../../runtime/pacing.js';
import { WarmThreads } from '../../runtime/pool/warm-threads.js';

export function healthRoutes(
  runs: RunRegistry,
  store: Store,
  info: { version: string; startedWallMs: number; token?: string },
): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    const byStatus: Record<string, number> = {};
    let workers = 0;
    const stuck: { runId: string; tickInFlightS: number }[] = [];
    for (const h of runs.all()) {
      byStatus[h.run.status] = (byStatus[h.run.status] ?? 0) + 1;
      if (h.run.status !== 'running') continue;
      workers += h.run.options.workers;
      const inFlightMs = h.run.tickInFlightMs();
      if (inFlightMs >= SERVER_LIMITS.stuckTickMs)
        stuck.push({ runId: h.run.id, tickInFlightS: Math.round(inFlightMs / 100) / 10 });
    }
    // /healthz answers without a token; with one set, where the store lives is not for anyone to read.
    const { path: storePath, ...storeState } = store.health();
    const storeHealth = info.token ? storeState : { ...storeState, path: storePath };
    const refusal = runs.capacityRefusal(1);
    // 503 only when new runs cannot be stored; a stuck run is news (degraded) but the server still
    // serves, and the run's own watchdog ends it.
    res.status(storeHealth.ok ? 200 : 503).json({
      status: storeHealth.ok && stuck.length === 0 ? 'ok' : 'degraded',
      ...(stuck.length > 0 ? { stuckRuns: stuck } : {}),
      version: info.version,
      uptimeS: Math.round((wallNowMs() - info.startedWallMs) / 100) / 10,
      runs: { hosted: runs.all().length, byStatus },
      pool: { workerThreadsInUse: workers, workerThreadsWarmIdle: WarmThreads.idleThreadCount() },
      store: storeHealth,
      // Whether a new run would be accepted now, and the limits that decide it.
      capacity: {
        acceptingRuns: refusal === undefined,
        ...(refusal ? { reason: refusal } : {}),
        limits: SERVER_LIMITS,
      },
    });
  });
  return r;
}
