// The sweep routes: start a sweep of seeds × parameter sets on this server's runs, list the
// sweeps it hosts, read any sweep (hosted, or from the store by its label: a CLI sweep too), stop one.
import { Router, type RequestHandler } from 'express';
import { startSweepBody } from '../../runtime/edge/run-requests.js';
import { parse } from '../../runtime/edge/request-parse.js';
import type { SweepRegistry } from '../../runtime/sweep/sweep-registry.js';

export function sweepRoutes(sweeps: SweepRegistry, mutating: RequestHandler): Router {
  const r = Router();
  r.post('/api/sweeps', mutating, (req, res) => {
    const started = sweeps.start(parse(startSweepBody, req.body));
    res.status(201).json({ ...started, view: `/admin/sweeps/${started.sweepId}` });
  });
  r.get('/api/sweeps', (_req, res) => {
    res.json({ sweeps: sweeps.list() });
  });
  r.get('/api/sweeps/:id', (req, res) => {
    res.json(sweeps.view(String(req.params.id)));
  });
  r.post('/api/sweeps/:id/stop', mutating, async (req, res) => {
    await sweeps.stop(String(req.params.id));
    res.json(sweeps.view(String(req.params.id)));
  });
  return r;
}
