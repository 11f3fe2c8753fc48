// The Express app: core routes over the run registry, and each pack's own router mounted as the
// pack declares it. There is no app-wide body parser: each router parses the bodies its routes
// take (a pack may need form or raw bodies, e.g. for a signature check). Every error becomes
// `{error: {code, message, path}}` with the status of its code.
import express from 'express';
import type { Logger } from '../runtime/logger.js';
import type { PackCatalogue } from '../runtime/packs/pack-catalogue.js';
import type { PackHttpContext } from '../runtime/packs/pack-module.js';
import type { RunRegistry } from '../runtime/scheduler/run-registry.js';
import type { Store } from '../runtime/store/store.js';
import { requireToken } from './auth.js';
import { errorHandler, notFound } from './http-errors.js';
import { PrometheusExporter } from './prometheus.js';
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

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const mutating = requireToken(deps.token);
  const page = requireToken(deps.token, { allowQuery: true });
  const exporter = new PrometheusExporter(deps.runs);

  app.use(healthRoutes(deps.runs, deps.store, deps));
  app.get('/metrics', async (_req, res) => {
    res.type(exporter.registry.contentType).send(await exporter.render());
  });
  app.use('/api/runs', jsonBody);
  app.use(runRoutes(deps.runs, deps.store, mutating));
  app.use(packRoutes(deps.packs));
  const packContext: PackHttpContext = { runs: deps.runs, store: deps.store, packs: deps.packs, requireAdmin: mutating, requireAdminPage: page, jsonBody };
  for (const pack of deps.packs.all()) if (pack.http) app.use(pack.http(packContext));
  app.use(dashboardRoutes(page));
  app.use(notFound());
  app.use(errorHandler(deps.log));
  return app;
}
