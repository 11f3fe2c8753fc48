// The Express app: core routes over the run registry, and each pack's own router mounted as the
// pack declares it. There is no app-wide body parser: each router parses the bodies its routes
// take (a pack may need form or raw bodies, e.g. for a signature check). Every error becomes
// `{error: {code, message, path}}` with the status of its code.
import { SERVER_LIMITS } from '../runtime/limits.js';
import express, { type RequestHandler } from 'express';
import { Registry } from 'prom-client';
import { TickworkError } from '../runtime/errors.js';
import { refuseProtoKeys } from '../runtime/json-keys.js';
import type { Logger } from '../runtime/logger.js';
import type { PackCatalogue } from '../runtime/packs/pack-catalogue.js';
import type { PackHttpContext, PackService } from '../runtime/packs/pack-surfaces.js';
import type { RunRegistry } from '../runtime/run/run-registry.js';
import type { Store } from '../runtime/store/store.js';
import { requireToken } from './auth.js';
import { sameOriginOnly, sameSiteOnly } from './same-origin.js';
import { errorHandler, notFound } from './http-errors.js';
import { renderPackMetrics } from './pack-metrics.js';
import { ENDED_RUN_GRACE_MS, PrometheusExporter } from './prometheus.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { healthRoutes } from './routes/health.js';
import { packRoutes } from './routes/packs.js';
import { runRoutes } from './routes/runs.js';
import { sweepRoutes } from './routes/sweeps.js';
import { SweepRegistry } from '../runtime/sweep/sweep-registry.js';

export interface AppDeps {
  runs: RunRegistry;
  store: Store;
  packs: PackCatalogue;
  log: Logger;
  token: string | undefined;
  /** A second token that only reads /metrics (TICKWORK_METRICS_TOKEN). */
  metricsToken?: string;
  /** The bound address and further names the server answers to (Host check). */
  boundHost: string;
  allowedHosts?: readonly string[];
  version: string;
  startedWallMs: number;
  /** Aborted when the server closes (before the store does): packs stop their background work on it. */
  closing?: AbortSignal;
}

export const BODY_LIMIT = SERVER_LIMITS.bodyLimit;

/** JSON bodies, sent as application/json; anything else is refused (415), not guessed at. */
export const jsonBody: RequestHandler[] = [
  (req, _res, next) => {
    const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
    if (hasBody && !req.is('application/json')) {
      return next(
        new TickworkError(
          'TW_ERR_UNSUPPORTED_MEDIA_TYPE',
          `this route takes Content-Type: application/json (got '${(req.get('content-type') ?? 'none').slice(0, 60)}')`,
        ),
      );
    }
    next();
  },
  express.json({ type: 'application/json', limit: BODY_LIMIT, strict: true, reviver: refuseProtoKeys }),
];

/**
 * JSON whatever the Content-Type: for a runbook's own routes whose curl examples send `-d` without
 * one (form-urlencoded). Deliberate, and safe only because every request passes the Origin and
 * Host checks first (same-origin.ts): a foreign page cannot reach these routes.
 */
export const jsonBodyAnyType = express.json({
  type: () => true,
  limit: BODY_LIMIT,
  strict: true,
  reviver: refuseProtoKeys,
});

/** What every pack router (and pack service) is handed. */
export function packHttpContext(deps: AppDeps, metricsRegistry: Registry): PackHttpContext {
  return {
    metricsRegistry,
    closing: deps.closing ?? new AbortController().signal,
    runs: deps.runs,
    store: deps.store,
    packs: deps.packs,
    requireAdmin: requireToken([deps.token]),
    requireAdminPage: requireToken([deps.token], { allowQuery: true }),
    requireMetricsReader: requireToken([deps.token, deps.metricsToken]),
    sameSiteOnly: sameSiteOnly(),
    jsonBody,
    jsonBodyAnyType,
    packMetricsText: (pack) =>
      renderPackMetrics(
        deps.packs,
        deps.runs.exported(ENDED_RUN_GRACE_MS).map((h) => h.run),
        pack,
      ),
  };
}

/** Every listener: no framework banner, flat query strings, and the Origin and Host checks first. */
function bareApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(sameOriginOnly({ boundHost: deps.boundHost, allowedHosts: deps.allowedHosts ?? [] }));
  return app;
}

export function createApp(deps: AppDeps): express.Express {
  const app = bareApp(deps);
  const exporter = new PrometheusExporter(deps.runs, deps.packs);
  const packContext = packHttpContext(deps, exporter.registry);
  const mutating = packContext.requireAdmin;
  const page = packContext.requireAdminPage;

  // Liveness stays open (probes carry no token); everything else needs the token when one is set.
  app.use(healthRoutes(deps.runs, deps.store, deps));
  // Event streams and reports are opened by a browser, which cannot add a header: they take ?token=.
  app.use('/api', (req, res, next) => (/\/(stream|report)$/.test(req.path) ? page : mutating)(req, res, next));
  app.get('/metrics', packContext.requireMetricsReader, async (_req, res) => {
    res.type(exporter.registry.contentType).send(await exporter.render());
  });
  app.use('/api/runs', jsonBody);
  app.use(runRoutes(deps.runs, deps.store, mutating));
  app.use('/api/sweeps', jsonBody);
  app.use(
    sweepRoutes(new SweepRegistry(deps.runs, deps.store, deps.closing ?? new AbortController().signal), mutating),
  );
  app.use(packRoutes(deps.packs));
  for (const pack of deps.packs.all()) if (pack.surfaces?.http) app.use(pack.surfaces.http(packContext));
  app.use(dashboardRoutes(page));
  app.use(notFound());
  app.use(errorHandler(deps.log));
  return app;
}

/** A pack's own listener: only its routes, with the same error format. */
export function createServiceApp(service: PackService, deps: AppDeps): express.Express {
  const app = bareApp(deps);
  // A service answers its own /metrics (packMetricsText); its registry is its own, not the control server's.
  app.use(service.http(packHttpContext(deps, new Registry())));
  app.use(notFound());
  app.use(errorHandler(deps.log));
  return app;
}
