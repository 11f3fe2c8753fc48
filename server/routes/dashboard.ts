// The dashboard: static files from server/dashboard/, no build step. `/admin` and
// `/admin/simcity` serve the same page; it reads everything else from the API and the stream.
import path from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import { PACKAGE_ROOT } from '../../runtime/package-root.js';

const DASHBOARD_DIR = path.join(PACKAGE_ROOT, 'server', 'dashboard');

export function dashboardRoutes(guard: RequestHandler): Router {
  const r = Router();
  const page = path.join(DASHBOARD_DIR, 'index.html');
  r.get(['/admin', '/admin/simcity'], guard, (_req, res) => res.sendFile(page));
  r.use('/admin/assets', express.static(DASHBOARD_DIR, { index: false, maxAge: 0 }));
  r.get('/', (_req, res) => res.redirect('/admin/simcity'));
  return r;
}
