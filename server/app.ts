// The Express app: core routes over the run registry, and each pack's own router mounted as the
// pack declares it. There is no app-wide body parser: each router parses the bodies its routes
// take (a pack may need form or raw bodies, e.g. for a signature check). Every error becomes
// `{error: {code, message, path}}` with the status of its code.
import express from 'express';
import type { Logger } from '../runtime/logger.js';
import type { PackCatalogue } from '../runtime/packs/pack-catalogue.js';
import type { PackHttpContext, PackService } from '../runtime/packs/pack-module.js';
import type { RunRegistry } from '../runtime/scheduler/run-registry.js';
import type { Store } from '../runtime/store/store.js';
import { requireToken } from './auth.js';
import { errorHandler, notFound } from './http-errors.js';
import { renderPackMetrics } from './pack-metrics.js';
import { ENDED_RUN_GRACE_MS, PrometheusExporter } from './prometheus.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { healthRoutes } from './routes/health.js';
import { packRoutes } from './routes/packs.js';
import { runRoutes } from './routes/runs.js';

export interface AppDeps {
  runs: RunRegistry;
  store: Store;
  packs: PackCatalogue;
  log: Logger;
  token: string | undefined;
  version: string;
  startedWallMs: number;
}

export const BODY_LIMIT = '64kb';

/** Generic routes read JSON whatever the Content-Type (curl `-d` sends form-urlencoded). */
export const jsonBody = express.json({ type: () => true, limit: BODY_LIMIT, strict: true });

/** What every pack router (and pack service) is handed. */
export function packHttpContext(deps: AppDeps): PackHttpContext {
  return {
    runs: deps.runs,
    store: deps.store,
    packs: deps.packs,
    requireAdmin: requireToken(deps.token),
    requireAdminPage: requireToken(deps.token, { allowQuery: true }),
    jsonBody,
    packMetricsText: (pack) => renderPackMetrics(deps.packs, deps.runs.exported(ENDED_RUN_GRACE_MS).map((h) => h.run), pack),
  };
}

function bareApp(): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  return app;
}

export function createApp(deps: AppDeps): express.Express {
  const app = bareApp();
  const packContext = packHttpContext(deps);
  const mutating = packContext.requireAdmin;
  const page = packContext.requireAdminPage;
  const exporter = new PrometheusExporter(deps.runs, deps.packs);

  app.use(healthRoutes(deps.runs, deps.store, deps));
  app.get('/metrics', async (_req, res) => {
    res.type(exporter.registry.contentType).send(await exporter.render());
  });
  app.use('/api/runs', jsonBody);
  app.use(runRoutes(deps.runs, deps.store, mutating));
  app.use(packRoutes(deps.packs));
  for (const pack of deps.packs.all()) if (pack.http) app.use(pack.http(packContext));
  app.use(dashboardRoutes(page));
  app.use(notFound());
  app.use(errorHandler(deps.log));
  return app;
}

/** A pack's own listener: only its routes, with the same error format. */
export function createServiceApp(service: PackService, deps: AppDeps): express.Express {
  const app = bareApp();
  app.use(service.http(packHttpContext(deps)));
  app.use(notFound());
  app.use(errorHandler(deps.log));
  return app;
}
