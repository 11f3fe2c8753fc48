// The SimCity routes of runbook 001, as its curl examples and CI workflow use them, and its
// dashboard page. Policy, event and stop apply to the newest running SimCity run unless the body
// names a runId. Bodies are JSON whatever their Content-Type: the runbook's curl examples send
// `-d` without one (deliberately; the server's Origin and Host checks keep foreign pages out).
import path from 'node:path';
import express, { Router } from 'express';
import {
  eventBody,
  loadScenario,
  PACKAGE_ROOT,
  type PackHttpContext,
  parse,
  policyBody,
  type RunRegistry,
  startRunBody,
  stopBody,
  runView,
  summaryOf,
  summaryQuery,
  TickworkError,
} from '../../../runtime/sdk.js';

const PACK = 'simcity';
/** The dashboard's static files (no build step, so tsc leaves them where they are). */
const DASHBOARD_DIR = path.join(PACKAGE_ROOT, 'actors', 'simcity', 'dashboard');

const simcityStartBody = startRunBody.extend({ scenario: startRunBody.shape.scenario.default('baseline') });

export function simcityRoutes({
  runs,
  store,
  packs,
  requireAdmin: mutating,
  requireAdminPage,
  jsonBodyAnyType,
}: PackHttpContext): Router {
  const r = Router();
  // The runbook's curl examples post `-d '{...}'` without a Content-Type: read it as JSON anyway.
  r.use('/api/simcity', jsonBodyAnyType);

  r.get('/admin/simcity', requireAdminPage, (_req, res) => res.sendFile(path.join(DASHBOARD_DIR, 'index.html')));
  r.use('/admin/simcity/assets', express.static(DASHBOARD_DIR, { index: false, maxAge: 0 }));

  r.post('/api/simcity/start', mutating, (req, res) => {
    const body = parse(simcityStartBody, req.body);
    if (loadScenario(packs, body.scenario, { allowFiles: false }).pack !== PACK) {
      throw new TickworkError(
        'TW_ERR_VALIDATION',
        `scenario: '${body.scenario}' is not a SimCity scenario`,
        'scenario',
      );
    }
    const hosted = runs.start(body);
    res.status(201).json({ data: runView(hosted) });
  });

  r.post('/api/simcity/policy', mutating, (req, res) => {
    const body = parse(policyBody, req.body);
    const runId = target(runs, body.runId);
    runs.submitPolicy(runId, body.policies);
    res.status(202).json({ data: { runId, accepted: 'policy', policies: body.policies, appliesAt: 'next tick' } });
  });

  r.post('/api/simcity/event', mutating, (req, res) => {
    const body = parse(eventBody, req.body);
    const runId = target(runs, body.runId);
    runs.submitEvent(runId, body.type, body.durationMin, body.parameters);
    res
      .status(202)
      .json({ data: { runId, accepted: body.type, durationMin: body.durationMin, appliesAt: 'next tick' } });
  });

  // The kill switch: stops every running SimCity run (or the one named) and answers once each is
  // persisted. Stopping when nothing runs is not an error: the switch is already off.
  r.post('/api/simcity/stop', mutating, async (req, res) => {
    const body = parse(stopBody, req.body);
    const targets = body.runId ? [body.runId] : runs.running(PACK).map((h) => h.run.id);
    const stopped = await Promise.all(
      targets.map((id) => runs.stop(id, body.reason ?? 'kill switch: /api/simcity/stop')),
    );
    res.json({
      data: {
        stopped: stopped.map((s) => ({ runId: s.runId, status: s.status, simTimeMs: s.simTimeMs, digest: s.digest })),
      },
    });
  });

  r.get('/api/simcity/summary', (req, res) => {
    const { runId } = parse(summaryQuery, req.query, 'query');
    res.json({ data: summaryOf(runId, runs, store, PACK) });
  });

  return r;
}

function target(runs: RunRegistry, runId: string | undefined): string {
  if (runId) return runId;
  const running = runs.running(PACK);
  const newest = running[running.length - 1];
  if (!newest) throw new TickworkError('TW_ERR_RUN_STATE', 'no SimCity run is running: POST /api/simcity/start first');
  return newest.run.id;
}
