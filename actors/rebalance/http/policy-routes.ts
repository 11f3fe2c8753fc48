// Runbook 004's policy API (`/api/policy/*`, `/api/time`) with its query parameters as written,
// the kill switch as a route that also steers running simulations, and the runbook's dashboard
// metrics on the server's /metrics. Refusals carry stable codes: view_snapshot_mismatch,
// policy_version_not_allowed, unknown_system, unknown_run, queue_full, TW_ERR_VALIDATION.
import path from 'node:path';
import express, { Router } from 'express';
import { Counter, Gauge, Histogram } from 'prom-client';
import { z } from 'zod';
import {
  CallLimiter,
  createLogger,
  isoTime,
  PACKAGE_ROOT,
  PackError,
  type PackHttpContext,
  parse,
  wallEpochMs,
} from '../../../runtime/sdk.js';
import { MAX_STATIONS } from '../domain/city/city.js';
import { syntheticCity } from '../domain/city/synthetic-city.js';
import { POLICY_VERSIONS } from '../domain/optimiser/policies.js';
import { RollbackWatch, GATE_WINDOW_SEC } from '../domain/rollout/rollback-watch.js';
import { runKey } from '../domain/rollout/run-key.js';
import { STAGES } from '../domain/rollout/rollout-gates.js';
import { storedGateReport } from '../domain/rollout/stored-gates.js';
import { PolicyStore, type PolicyRunRow } from '../store/policy-store.js';
import { apiConfigFromEnv } from '../config/api-config.js';
import { MapRecorder } from './map-recorder.js';
import { PolicyService } from './policy-service.js';

/** The map page's static files (no build step, so tsc leaves them where they are). */
const DASHBOARD_DIR = path.join(PACKAGE_ROOT, 'actors', 'rebalance', 'dashboard');

/** The decision bucket /api/time reports (the runbook's T_bucket granularity). */
const BUCKET_SEC = 900;

const systemId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _');
const apiVersion = { v: z.literal('1', { message: "v must be '1'" }) };
const runParams = z.strictObject({
  ...apiVersion,
  system_id: systemId.optional(),
  sv: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  policy_version: z.string().min(1).max(64),
  T_bucket: z.coerce.number().int().min(0).max(253_402_300_799),
});
/** A run by its key, or by the parameters that make it. */
const runRef = z.union([z.strictObject({ ...apiVersion, run_key: z.string().min(1).max(200) }), runParams]);
const snapshotBody = z.strictObject({ bikes: z.array(z.number().int().min(0).max(1000)).min(2).max(MAX_STATIONS) });
const switchBody = z.strictObject({ on: z.boolean() });
const gatesQuery = z.strictObject({ stage: z.enum(STAGES).optional(), system_id: systemId.optional() });

function runView(row: PolicyRunRow, moveCount?: number) {
  return {
    v: 1,
    run_key: row.run_id,
    status: row.status,
    system_id: row.system_id,
    sv: row.sv,
    policy_version: row.policy_version,
    T_bucket: row.t_bucket,
    shadow: row.shadow === 1,
    no_op: row.no_op === null ? null : row.no_op === 1,
    error_reason: row.error_reason,
    objective: row.objective,
    greedy_objective: row.greedy_objective,
    fallback: row.fell_back === 1 ? { timed_out: row.timed_out === 1, reason: row.fallback_reason } : null,
    ...(moveCount === undefined ? {} : { move_count: moveCount }),
    timings: {
      created_at: row.created_at,
      started_at: row.started_at,
      finished_at: row.finished_at,
      queue_ms: row.queue_ms,
      solve_ms: row.solve_ms,
    },
  };
}

export function policyRoutes(ctx: PackHttpContext): Router {
  const log = createLogger({ name: 'rebalance' });
  const config = apiConfigFromEnv();
  const store = new PolicyStore(ctx.store.tables('rebalance'));
  // Bounded: finished runs older than the retention leave at start and every hour.
  const prune = () => {
    const removed = store.prune(config.retentionDays);
    if (removed > 0) log.info({ removed, retentionDays: config.retentionDays }, 'old policy runs pruned');
  };
  prune();
  const pruning = setInterval(prune, 3_600_000);
  ctx.closing.addEventListener('abort', () => clearInterval(pruning));
  // A fresh store answers the runbook's examples at once: a synthetic demo system.
  if (config.defaultSystemId === 'demo' && !store.system('demo'))
    store.saveSystem({
      ...syntheticCity({ stations: 300, seed: 7 }),
      systemId: 'demo',
      name: 'demo: synthetic city of 300 stations',
    });

  const registers = [ctx.metricsRegistry];
  const requests = new Counter({
    name: 'policy_run_requests_total',
    help: 'GET /api/policy/run answers by run status',
    labelNames: ['status'],
    registers,
  });
  const latency = new Histogram({
    name: 'policy_run_latency_ms',
    help: 'From queueing a policy run to its result (queue wait plus solve), ms',
    buckets: [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000],
    registers,
  });
  const cancels = new Counter({
    name: 'policy_cancel_total',
    help: 'POST /api/policy/cancel outcomes',
    labelNames: ['outcome'],
    registers,
  });
  const mismatches = new Counter({
    name: 'policy_view_snapshot_mismatch_total',
    help: 'Requests refused with view_snapshot_mismatch (FE/BE drift)',
    registers,
  });
  const service = new PolicyService(
    store,
    config,
    {
      runAnswered: (status) => requests.inc({ status }),
      runFinished: (ms) => latency.observe(ms),
      cancelOutcome: (outcome) => cancels.inc({ outcome }),
      snapshotMismatch: () => mismatches.inc(),
    },
    log,
    ctx.closing,
  );
  new Gauge({
    name: 'policy_queue_depth',
    help: 'Policy runs waiting in the queue',
    registers,
    collect() {
      this.set(service.queueDepth);
    },
  });
  new Gauge({
    name: 'policy_queue_oldest_age_seconds',
    help: 'Age of the oldest queued policy run',
    registers,
    collect() {
      this.set(service.oldestQueuedAgeMs() / 1000);
    },
  });
  new Gauge({
    name: 'policy_kill_switch',
    help: '1 while the kill switch holds the service to rebal.greedy.v1',
    registers,
    collect() {
      this.set(service.killSwitch ? 1 : 0);
    },
  });

  /** The kill switch reaches running simulations as a live policy: no restart. */
  const steerSimulations = (on: boolean) => {
    for (const hosted of ctx.runs.running('rebalance'))
      ctx.runs.submitPolicy(hosted.run.id, { availableVersions: on ? ['rebal.greedy.v1'] : [...POLICY_VERSIONS] });
  };
  if (config.rollout.autoRollback) {
    const watch = new RollbackWatch(service, log, () => steerSimulations(true));
    const timer = setInterval(() => watch.check(wallEpochMs()), config.rollout.checkSec * 1000);
    ctx.closing.addEventListener('abort', () => clearInterval(timer));
  }

  const keyOf = (q: z.output<typeof runRef>) =>
    'run_key' in q
      ? q.run_key
      : runKey({
          systemId: q.system_id ?? config.defaultSystemId,
          sv: String(q.sv),
          policyVersion: q.policy_version,
          tBucket: q.T_bucket,
        });
  const found = (key: string) => {
    const row = store.run(key);
    if (!row)
      throw new PackError('unknown_run', 404, `no policy run '${key}' (ask GET /api/policy/run first)`, 'run_key');
    return row;
  };

  const r = Router();
  r.get('/api/policy/config', (req, res) => {
    parse(z.object(apiVersion), req.query, 'query');
    const c = service.effectiveConfig();
    res.json({
      v: 1,
      available_versions: c.available,
      default_version: c.defaultVersion,
      allowlist: c.allowlist,
      kill_switch: service.killSwitch,
      stage: config.rollout.stage,
    });
  });

  // The runbook's get-or-create stays a GET: refused when another site's page sends it, and each
  // client may create only so many new runs a minute (repeats of a key create nothing).
  const creations = new CallLimiter(config.createsPerClientMin, 60_000);
  r.get('/api/policy/run', ctx.sameSiteOnly, (req, res) => {
    const q = parse(runParams, req.query, 'query');
    const row = service.requestRun(
      {
        systemId: q.system_id ?? config.defaultSystemId,
        sv: q.sv,
        policyVersion: q.policy_version,
        tBucket: q.T_bucket,
      },
      () => {
        const waitMs = creations.take(req.ip ?? 'unknown', wallEpochMs());
        if (waitMs > 0) {
          res.set('Retry-After', String(Math.ceil(waitMs / 1000)));
          throw new PackError(
            'rate_limited',
            429,
            `at most ${config.createsPerClientMin} new policy runs a minute per client (POLICY_CREATES_PER_CLIENT_MIN): try again in ${Math.ceil(waitMs / 1000)} s`,
            undefined,
            { retryAfterMs: waitMs },
          );
        }
      },
    );
    res.json(runView(row));
  });

  r.get('/api/policy/moves', (req, res) => {
    const row = found(keyOf(parse(runRef, req.query, 'query')));
    const moves = row.status === 'ready' ? store.moves(row.run_id) : [];
    res.json({ ...runView(row, moves.length), moves });
  });

  r.get('/api/policy/status', (req, res) => {
    const row = found(keyOf(parse(runRef, req.query, 'query')));
    res.json({
      ...runView(row),
      queue: { position: service.queuePosition(row.run_id) ?? null, depth: service.queueDepth },
    });
  });

  r.post('/api/policy/cancel', ctx.requireAdmin, (req, res) => {
    const outcome = service.cancel(keyOf(parse(runRef, req.query, 'query')));
    res.json({ ...outcome, status: store.run(outcome.run_key)!.status });
  });

  r.get('/api/time', (_req, res) => {
    const now = wallEpochMs();
    res.json({
      now: isoTime(now),
      epoch_ms: now,
      bucket_sec: BUCKET_SEC,
      T_bucket: Math.floor(now / 1000 / BUCKET_SEC) * BUCKET_SEC,
      network: { degrade_level: config.degradeLevel },
    });
  });

  r.get('/api/policy/systems', (_req, res) => res.json({ data: store.systems() }));
  r.get('/api/policy/systems/:id', (req, res) => {
    const id = parse(systemId, req.params.id, 'params.id');
    const city = store.system(id);
    if (!city) throw new PackError('unknown_system', 404, `no system '${id}'`, 'params.id');
    const snapshot = store.currentSnapshot(id)!;
    res.json({
      data: {
        system_id: id,
        name: city.name,
        sv: snapshot.sv,
        stations: city.stations.map((s, i) => ({
          id: s.id,
          name: s.name,
          x: s.x,
          y: s.y,
          capacity: s.capacity,
          bikes: snapshot.bikes[i],
        })),
      },
    });
  });
  // A new station view (a GBFS station_status feed would post these): the next snapshot version.
  r.post('/api/policy/systems/:id/snapshots', ctx.requireAdmin, ...ctx.jsonBody, (req, res) => {
    const id = parse(systemId, req.params.id, 'params.id');
    const city = store.system(id);
    if (!city) throw new PackError('unknown_system', 404, `no system '${id}'`, 'params.id');
    const { bikes } = parse(snapshotBody, req.body);
    if (bikes.length !== city.stations.length)
      throw new PackError(
        'TW_ERR_VALIDATION',
        400,
        `bikes: ${bikes.length} entries for ${city.stations.length} stations`,
        'bikes',
      );
    const over = bikes.findIndex((b, i) => b > city.stations[i].capacity);
    if (over >= 0)
      throw new PackError(
        'TW_ERR_VALIDATION',
        400,
        `bikes.${over}: ${bikes[over]} bikes in ${city.stations[over].capacity} docks`,
        `bikes.${over}`,
      );
    res.status(201).json({ data: { system_id: id, sv: store.addSnapshot(id, bikes) } });
  });

  r.get('/api/policy/gates', (req, res) => {
    const q = parse(gatesQuery, req.query, 'query');
    res.json({
      data: storedGateReport(store, q.stage ?? config.rollout.stage, {
        windowSec: GATE_WINDOW_SEC,
        minSamples: config.rollout.minSamples,
        ...(q.system_id ? { systemId: q.system_id } : {}),
      }),
    });
  });

  r.get('/api/policy/kill-switch', (_req, res) => res.json({ data: { on: service.killSwitch } }));
  r.post('/api/policy/kill-switch', ctx.requireAdmin, ...ctx.jsonBody, (req, res) => {
    const { on } = parse(switchBody, req.body);
    service.setKillSwitch(on);
    steerSimulations(on);
    res.json({ data: { on, config: service.effectiveConfig() } });
  });

  r.get('/api/policy/incidents', (_req, res) => res.json({ data: store.incidents() }));

  // The map: stations with their fill levels and the moves served, per bucket of a simulation.
  const maps = new MapRecorder(ctx.runs);
  r.get('/admin/rebalance', ctx.requireAdminPage, (_req, res) => res.sendFile(path.join(DASHBOARD_DIR, 'index.html')));
  r.use('/admin/rebalance/assets', express.static(DASHBOARD_DIR, { index: false, maxAge: 0 }));
  r.get('/api/rebalance/runs/:id/map', (req, res) => {
    const id = parse(z.string().uuid(), req.params.id, 'params.id');
    const map = maps.get(id);
    if (!map)
      throw new PackError(
        'TW_ERR_NOT_FOUND',
        404,
        `no map for run ${id}: maps are kept for rebalance runs this server hosts`,
        'params.id',
      );
    const { since } = parse(z.strictObject({ since: z.coerce.number().int().min(-1).optional() }), req.query, 'query');
    const hosted = ctx.runs.get(id);
    res.json({
      data: {
        runId: id,
        status: hosted?.run.status ?? 'ended',
        simMs: hosted?.run.simMs ?? null,
        startHour: map.startHour,
        stations: map.stations,
        frames: map.frames.filter((f) => f.bucket > (since ?? -1)),
      },
    });
  });
  return r;
}
