// The Express app: a thin surface over the run registry. JSON bodies are parsed whatever their
// Content-Type (the runbook's curl examples send `-d` without one), limited in size; every error
// becomes `{error: {code, message, path}}` with the status of its code.
import express from 'express';
import type { Logger } from '../runtime/logger.js';
import type { RunRegistry } from '../runtime/scheduler/run-registry.js';
import type { Store } from '../runtime/store/store.js';
import { requireToken } from './auth.js';
import { errorHandler, notFound } from './http-errors.js';
import { PrometheusExporter } from './prometheus.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { healthRoutes } from './routes/health.js';
import { runRoutes } from './routes/runs.js';
import { simcityRoutes } from './routes/simcity.js';

export interface AppDeps {
  runs: RunRegistry;
  store: Store;
  log: Logger;
  token: string | undefined;
  version: string;
  startedWallMs: number;
}

export const BODY_LIMIT = '64kb';

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(express.json({ type: () => true, limit: BODY_LIMIT, strict: true }));
  const mutating = requireToken(deps.token);
  const exporter = new PrometheusExporter(deps.runs);

  app.use(healthRoutes(deps.runs, deps.store, deps));
  app.get('/metrics', async (_req, res) => {
    res.type(exporter.registry.contentType).send(await exporter.render());
  });
  app.use(runRoutes(deps.runs, deps.store, mutating));
  app.use(simcityRoutes(deps.runs, deps.store, mutating));
  app.use(dashboardRoutes(requireToken(deps.token, { allowQuery: true })));
  app.use(notFound());
  app.use(errorHandler(deps.log));
  return app;
}
