// The generic dashboard: `/admin` lists every run of every pack (live and stored) with links to
// each pack's own page; `/admin/runs/:id` shows one run of any pack; `/admin/sweeps/:id` one
// sweep. Static files from server/dashboard/, no build step; the pages read everything from the API.
import path from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import { PACKAGE_ROOT } from '../../runtime/package-root.js';

const DASHBOARD_DIR = path.join(PACKAGE_ROOT, 'server', 'dashboard');

export function dashboardRoutes(guard: RequestHandler): Router {
  const r = Router();
  r.get('/admin', guard, (_req, res) => res.sendFile(path.join(DASHBOARD_DIR, 'index.html')));
  // Any run of any pack: panels from the pack's catalogue, gates, timeline, controls from its contract.
  r.get('/admin/runs/:id', guard, (_req, res) => res.sendFile(path.join(DASHBOARD_DIR, 'run.html')));
  // A sweep: its runs as a grid of seeds × parameter sets, coloured by verdict.
  r.get('/admin/sweeps/:id', guard, (_req, res) => res.sendFile(path.join(DASHBOARD_DIR, 'sweep.html')));
  r.use('/admin/assets', express.static(DASHBOARD_DIR, { index: false, maxAge: 0 }));
  r.get('/', (_req, res) => res.redirect('/admin'));
  return r;
}
