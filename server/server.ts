// Starting and stopping the control server: bind (loopback unless a token is set), start the pack
// services asked for on their own ports, optionally start a scenario at once, and on shutdown stop
// every run through the kill switch, persist, close.
import { createLogger, type Logger } from '../runtime/logger.js';
import { PACKAGE_VERSION } from '../runtime/package-root.js';
import { wallEpochMs, wallNowMs } from '../runtime/pacing.js';
import { STORE_LIMITS } from '../runtime/limits.js';
import { retentionMs } from '../runtime/store/retention.js';
import { TickworkError } from '../runtime/errors.js';
import type { PackCatalogue } from '../runtime/packs/pack-catalogue.js';
import { RunRegistry, type HostedRun, type StartRequest } from '../runtime/run/run-registry.js';
import { Store } from '../runtime/store/store.js';
import { assertSafeBind } from './auth.js';
import { routeTable, type RouteEntry } from './route-table.js';
import { createApp, createServiceApp, type AppDeps } from './app.js';
import { listen, type Listening } from './listen.js';

export interface ServeRequest {
  host: string;
  port: number;
  dbPath: string;
  token: string | undefined;
  /** Reads /metrics only (TICKWORK_METRICS_TOKEN). */
  metricsToken?: string;
  /** Host names the server answers to besides loopback and its bind address (TICKWORK_ALLOWED_HOSTS). */
  allowedHosts?: string[];
  workers?: number;
  /** A run to start as soon as the server listens (npm start: baseline, paced). */
  startRun?: StartRequest;
  /** An interrupted run to continue as soon as the server listens (a service restarted after a crash). */
  resumeRun?: string;
  /** Packs whose own service listeners start too (PackSurfaces.service), with optional port overrides. */
  services?: { pack: string; port?: number }[];
}

export interface ControlServer {
  url: string;
  runs: RunRegistry;
  started: HostedRun | undefined;
  /** Base URL of each started pack service, by pack. */
  services: Record<string, string>;
  /** Every route of every listener, with the listener's base URL. */
  routes: (RouteEntry & { base: string })[];
  close(reason: string): Promise<void>;
}

export interface ServeOptions extends ServeRequest {
  packs: PackCatalogue;
}

export type RunningServer = ControlServer;

export async function startServer(o: ServeOptions): Promise<RunningServer> {
  assertSafeBind(o.host, o.token);
  const services = (o.services ?? []).map(({ pack, port }) => {
    const service = o.packs.get(pack).surfaces?.service;
    if (!service) throw new TickworkError('TW_ERR_VALIDATION', `pack ${pack} has no service of its own`, 'service');
    const fromEnv = service.portEnv ? process.env[service.portEnv] : undefined;
    return { pack, service, port: port ?? (fromEnv ? Number(fromEnv) : service.defaultPort) };
  });
  const log = createLogger({ component: 'server' });
  const store = new Store(o.dbPath, o.packs.migrationSets());
  const runs = new RunRegistry(store, o.packs, { workers: o.workers, env: process.env });
  const stopping = new AbortController();
  const deps: AppDeps = {
    closing: stopping.signal,
    runs,
    store,
    packs: o.packs,
    log,
    token: o.token,
    metricsToken: o.metricsToken,
    boundHost: o.host,
    allowedHosts: o.allowedHosts,
    version: PACKAGE_VERSION,
    startedWallMs: wallNowMs(),
  };
  prunePeriodically(store, o.packs, stopping.signal, log);
  const listening: Listening[] = [];
  const closeAll = async () => {
    stopping.abort();
    await Promise.all(listening.map((l) => l.close()));
    store.close();
  };
  let started: ControlServer['started'];
  const serviceUrls: Record<string, string> = {};
  const routes: ControlServer['routes'] = [];
  const serveApp = async (app: ReturnType<typeof createApp>, port: number) => {
    const l = await listen(app, o.host, port);
    listening.push(l);
    routes.push(...routeTable(app).map((r) => ({ ...r, base: l.url })));
    return l;
  };
  try {
    await serveApp(createApp(deps), o.port);
    for (const s of services) serviceUrls[s.pack] = (await serveApp(createServiceApp(s.service, deps), s.port)).url;
    started = o.startRun ? runs.start(o.startRun) : o.resumeRun ? runs.resume(o.resumeRun) : undefined;
  } catch (err) {
    // A bad --start or a taken service port must not leave listeners behind the error message.
    await closeAll();
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    url: listening[0].url,
    runs,
    started,
    services: serviceUrls,
    routes,
    close(reason) {
      closing ??= (async () => {
        log.info({ reason }, 'closing: interrupting every run (resumable)');
        await runs.interruptAll();
        await closeAll();
      })();
      return closing;
    },
  };
}

/**
 * The retention rules at start and every STORE_LIMITS.pruneEveryMs (TICKWORK_RETENTION; 'off'
 * disables it): a long-lived server's store stays the size of its recent history. A failed prune
 * is logged and tried again next time.
 */
function prunePeriodically(store: Store, packs: PackCatalogue, closing: AbortSignal, log: Logger): void {
  const olderThanMs = retentionMs(process.env.TICKWORK_RETENTION);
  if (olderThanMs === undefined) return;
  const pruneOnce = () => {
    try {
      const tables = store
        .prune(packs.retentionRules(), { olderThanMs, dryRun: false, nowMs: wallEpochMs() })
        .filter((t) => t.rows > 0);
      if (tables.length > 0) log.info({ olderThanMs, tables }, 'pruned rows past their retention');
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'prune failed; trying again at the next interval');
    }
  };
  pruneOnce();
  const timer = setInterval(pruneOnce, STORE_LIMITS.pruneEveryMs).unref();
  closing.addEventListener('abort', () => clearInterval(timer));
}
