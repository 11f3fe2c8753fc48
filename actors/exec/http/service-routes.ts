// The service's own listener (port 8004, EXEC_SIM_PORT): /healthz as the runbook's checklist reads
// it (503 when not ok), /metrics with its exec_sim_* names, and POST /maintenance.
import { Router } from 'express';
import { z } from 'zod';
import { PACKAGE_VERSION, type PackHttpContext, parse } from '../../../runtime/sdk.js';
import { maintenanceOn, setMaintenance } from '../io/maintenance.js';
import { EXEC_REGISTRY } from './service-metrics.js';
import { serviceStatus, uptimeSeconds } from '../io/service-state.js';

export function serviceRoutes(ctx: PackHttpContext): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    const s = serviceStatus();
    // Not ok while events cannot leave (NATS down, the outbox full: pulling paused) or an alarm
    // stands; then 503, so the runbook's `curl -f` check and load balancers see it.
    const ok = s.nats !== 'disconnected' && s.runId !== undefined && !s.outboxFull && (s.alarms ?? []).length === 0;
    res.status(ok ? 200 : 503).json({
      ok,
      uptime_s: uptimeSeconds(),
      nats: s.nats,
      processor_status: s.processor,
      pending_events: s.pendingEvents,
      parked_events: s.parkedEvents ?? 0,
      version: PACKAGE_VERSION,
      maintenance: maintenanceOn(),
      ...(s.note ? { note: s.note } : {}),
      ...(s.alarms?.length ? { alarms: s.alarms } : {}),
      ...(s.runId ? { run_id: s.runId } : {}),
    });
  });
  r.get('/metrics', ctx.requireMetricsReader, async (_req, res) => {
    serviceStatus(); // refreshes the pending-events gauge
    res.type(EXEC_REGISTRY.contentType).send(await EXEC_REGISTRY.metrics());
  });
  r.post('/maintenance', ctx.requireAdmin, ...ctx.jsonBody, (req, res) => {
    setMaintenance(parse(z.strictObject({ on: z.boolean() }), req.body).on);
    res.json({ maintenance: maintenanceOn() });
  });
  return r;
}
