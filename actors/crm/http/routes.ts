// SimCRM's HTTP surface at the runbook's paths: create and start simulations, watch their
// metrics, segments and the limiter's health, and (boss only) read and replay the DLQ and the
// thinning events. A simulation is one generating run plus any replay runs; its ledger is the
// sum over them, and balances: generated = created + dlq + skipped.
import { randomInt } from 'node:crypto';
import path from 'node:path';
import express, { Router, type Request } from 'express';
import {
  isoTime,
  loadScenario,
  PACKAGE_ROOT,
  PackError,
  type PackHttpContext,
  CallLimiter,
  parse,
  scenarioDurationMs,
  wallNowMs,
} from '../../../runtime/sdk.js';
import type { CrmSettings } from '../config/settings.js';
import { decryptToken, encryptionKey } from '../config/token-crypto.js';
import { WINDOW_MS } from '../domain/crm-account.js';
import { useTokenFor } from '../io/http-sink.js';
import { crmTotals } from '../sim/kpis.js';
import { DLQ_CATEGORIES } from '../sim/outcome.js';
import { CRM_POLICY_DEFAULTS } from '../sim/policies.js';
import { segmentCount, SEGMENT_MS } from '../sim/distribution.js';
import { SIMULATION_ID } from '../sim/messages.js';
import { windowUsed } from '../sim/rate-limiter.js';
import type { SimulationState } from '../sim/simulation.js';
import { CrmStore, type SimulationRow } from '../store/crm-store.js';
import { createSimulationBody, listQuery, replayBody, simulationIdParam } from './schemas.js';
import { requireRole, userOf } from './user-auth.js';

const PACK = 'crm';
/** The page's static files (no build step, so tsc leaves them where they are). */
const DASHBOARD_DIR = path.join(PACKAGE_ROOT, 'actors', 'crm', 'dashboard');

/** The key of a simulation's records' streams and jobs: stable across its runs. */
export const simulationKey = (id: number) => `sim-${id}`;

interface RunCounters {
  runId: string;
  kind: 'generate' | 'replay';
  status: string;
  simTimeMs: number;
  counters: Record<string, number>;
}

export function simulationRoutes(ctx: PackHttpContext, settings: CrmSettings): Router {
  const { runs, store, packs, requireAdmin: mutating } = ctx;
  const crm = new CrmStore(store.tables('crm'));
  const boss = requireRole(() => crm, 'boss');
  const replayCalls = new CallLimiter(5, 30_000);
  const r = Router();
  // The runbook's curl examples post `-d '{...}'` without a Content-Type: read it as JSON anyway.
  r.use(['/api/simulations', '/api/dlq'], ctx.jsonBodyAnyType);

  r.post('/api/simulations', mutating, (req, res) => {
    const body = parse(createSimulationBody, req.body);
    const scenario = loadScenario(packs, `${PACK}/${body.scenario}`, { allowFiles: false });
    if (scenario.pack !== PACK)
      throw new PackError('scenario_not_crm', 400, `scenario: '${body.scenario}' is not a SimCRM scenario`, 'scenario');
    const owner = userOf(crm, req);
    // The HTTP sink writes to a real CRM with its owner's token: it needs an owner.
    if (body.sink === 'http' && !owner)
      throw new PackError(
        'user_required',
        401,
        'an HTTP-sink simulation writes to the CRM as its owner: send your X-User-Token (tickwork crm user add)',
        'sink',
      );
    const id = crm.createSimulation({
      scenario: body.scenario,
      start_time: body.start_time,
      end_time: body.end_time,
      distribution_method: body.distribution_method,
      total_records: body.total_records,
      options_json: JSON.stringify({ seed: body.seed ?? randomInt(0, 2 ** 31), sink: body.sink, pace: body.pace }),
      owner_id: owner?.id ?? null,
    });
    res.status(201).json({ data: simulationView(ctx, crm.simulation(id)!, []) });
  });

  r.get('/admin/crm', ctx.requireAdminPage, (_req, res) => res.sendFile(path.join(DASHBOARD_DIR, 'index.html')));
  r.use('/admin/crm/assets', express.static(DASHBOARD_DIR, { index: false, maxAge: 0 }));

  r.get('/api/simulations', (req, res) => {
    const { limit } = parse(listQuery, req.query, 'query');
    res.json({ data: crm.listSimulations(limit).map((sim) => simulationView(ctx, sim, crm.runs(sim.id))) });
  });

  r.get('/api/simulations/:id', (req, res) => {
    const sim = simulationOf(crm, req);
    res.json({ data: simulationView(ctx, sim, crm.runs(sim.id)) });
  });

  // Start the generating run; for an interrupted one (a crash, a kill), continue it from its checkpoint.
  r.post('/api/simulations/:id/start', mutating, (req, res) => {
    const sim = simulationOf(crm, req);
    mayWriteAsOwner(crm, sim, req);
    const generating = crm.runs(sim.id).find((x) => x.kind === 'generate');
    if (generating) {
      const row = store.getRun(generating.run_id);
      if (runs.get(generating.run_id)?.run.status === 'running' || row?.status !== 'interrupted') {
        throw new PackError(
          'simulation_started',
          409,
          `simulation ${sim.id} has already started (run ${generating.run_id}, ${row?.status ?? 'running'})`,
          'id',
        );
      }
      const hosted = runs.resume(generating.run_id);
      holdOwnerToken(crm, sim, hosted.done);
      res.status(202).json({ data: { id: sim.id, runId: hosted.run.id, status: 'running', resumed: true } });
      return;
    }
    const scenario = loadScenario(packs, `${PACK}/${sim.scenario}`, { allowFiles: false });
    const windowHours = (Date.parse(sim.end_time) - Date.parse(sim.start_time)) / 3_600_000;
    // The run covers the window and the scenario's own drain time after it (activities, retries).
    const scenarioWindowMs = Number(scenario.policies.windowHours ?? CRM_POLICY_DEFAULTS.windowHours) * 3_600_000;
    const drainMs = Math.max(3_600_000, scenarioDurationMs(scenario) - scenarioWindowMs);
    const hosted = startRun(ctx, crm, sim, 'generate', windowHours * 3_600_000 + drainMs, {
      simulation: simulationKey(sim.id),
      startTime: isoTime(Date.parse(sim.start_time)),
      windowHours,
      totalRecords: sim.total_records,
      distribution: sim.distribution_method,
      sink: simulationOptions(sim).sink,
    });
    res.status(202).json({ data: { id: sim.id, runId: hosted.run.id, status: 'running' } });
  });

  r.get('/api/simulations/:id/metrics', (req, res) => {
    const sim = simulationOf(crm, req);
    const parts = crm.runs(sim.id).map((x) => runCounters(ctx, x.run_id, x.kind));
    res.json({
      data: {
        id: sim.id,
        status: parts.find((p) => p.kind === 'generate')?.status ?? 'created',
        runs: parts.map(({ runId, kind, status, simTimeMs }) => ({ runId, kind, status, simTimeMs })),
        ...crmTotals((name) => parts.reduce((n, p) => n + (p.counters[name] ?? 0), 0)),
        // Until the runs have settled, jobs are still on their way: the ledger balances at the end.
        settled: parts.length > 0 && parts.every((p) => p.status === 'completed' || p.status === 'failed'),
      },
    });
  });

  r.get('/api/simulations/:id/segments', (req, res) => {
    const sim = simulationOf(crm, req);
    const generating = crm.runs(sim.id).find((x) => x.kind === 'generate');
    const expanded = new Map((generating ? crm.segments(generating.run_id) : []).map((s) => [s.idx, s]));
    const startMs = Date.parse(sim.start_time);
    const windowMs = Date.parse(sim.end_time) - startMs;
    const segments = Array.from({ length: segmentCount(windowMs) }, (_, index) => {
      const s = expanded.get(index);
      return {
        index,
        start: isoTime(startMs + index * SEGMENT_MS),
        end: isoTime(startMs + Math.min(windowMs, (index + 1) * SEGMENT_MS)),
        expanded: s !== undefined,
        ...(s ? { records: s.count, firstRecord: s.first_record, expandedAtSimMs: s.expanded_at_ms } : {}),
      };
    });
    res.json({ data: { id: sim.id, segments, expanded: expanded.size, total: segments.length } });
  });

  // The limiter, cooldown and breaker of every running simulation, read from its actor's state.
  r.get('/api/health', async (_req, res) => {
    const live = runs.running(PACK);
    const simulations = await Promise.all(
      live.map(async (h) => {
        // Undefined until the run's first tick has created its actors.
        const state = ((await h.run.inspectActor(SIMULATION_ID)) as { state?: SimulationState } | undefined)?.state;
        if (!state?.limiter)
          return { simulation: crm.simulationOfRun(h.run.id) ?? null, runId: h.run.id, simTimeMs: 0, starting: true };
        const now = h.run.simMs;
        const l = state.limiter;
        const b = state.breaker;
        return {
          simulation: crm.simulationOfRun(h.run.id) ?? null,
          runId: h.run.id,
          simTimeMs: now,
          buckets: {
            tenSecondly: { used: windowUsed(l, now), max: l.windowMax, intervalMs: WINDOW_MS },
            daily: { used: l.dayCount, max: l.dailyMax },
          },
          cooldown: {
            active: l.cooldownUntilMs > now,
            remainingMs: Math.max(0, l.cooldownUntilMs - now),
            throttled: l.throttled,
          },
          breaker: {
            state: b.status,
            failuresInWindow: b.failures.length,
            openUntilSimMs: b.status === 'open' ? b.openUntilMs : null,
            opened: b.opened,
          },
          backlog: state.queue.length,
          inFlight: state.inflight.length,
          thinning: { keep: state.keep },
        };
      }),
    );
    const { ok } = store.health();
    res.json({ data: { ok, store: ok ? 'ok' : 'unavailable', simulations } });
  });

  r.get('/api/simulations/:id/dlq', boss, (req, res) => {
    const sim = simulationOf(crm, req);
    const samples = crm.waitingDlq(sim.id, undefined, settings.dlqSampleMax).map(dlqView);
    res.json({ data: { id: sim.id, byCategory: crm.dlqSummary(sim.id), samples, sampleMax: settings.dlqSampleMax } });
  });

  r.get('/api/dlq/summary', boss, (_req, res) => {
    res.json({ data: { byCategory: crm.dlqSummary() } });
  });

  r.get('/api/simulations/:id/thinning-events', boss, (req, res) => {
    const sim = simulationOf(crm, req);
    const events = crm.thinning(crm.runs(sim.id).map((x) => x.run_id));
    res.json({
      data: {
        id: sim.id,
        max: settings.thinningEventsMax,
        events: events.map((e) => ({
          runId: e.run_id,
          simMs: e.sim_ms,
          before: e.before,
          after: e.after,
          factor: e.factor,
          totalWaiting: e.total_waiting,
          breaker: e.breaker,
        })),
      },
    });
  });

  r.post('/api/simulations/:id/dlq/replay', boss, (req, res) => {
    const user = res.locals.user as { id: number };
    const waitMs = replayCalls.take(`user:${user.id}`, wallNowMs());
    if (waitMs > 0)
      throw new PackError(
        'replay_rate_limited',
        429,
        `at most 5 replay calls per 30 s per user: try again in ${Math.ceil(waitMs / 1000)} s`,
        undefined,
        { retryAfterMs: waitMs },
      );
    const sim = simulationOf(crm, req);
    const body = parse(replayBody, req.body);
    const limit = body.dryRun ? body.limit : Math.min(body.limit, settings.replayLimitCap);
    const selected = crm.waitingDlq(sim.id, body.categories, limit);
    const byCategory = Object.fromEntries(
      DLQ_CATEGORIES.map((c) => [c, selected.filter((s) => s.category === c).length]).filter(([, n]) => n !== 0),
    );
    const view = {
      id: sim.id,
      dryRun: body.dryRun,
      selected: selected.length,
      items: selected.reduce((n, s) => n + s.items, 0),
      byCategory,
      limit,
      cap: settings.replayLimitCap,
      useFullRetry: body.useFullRetry,
    };
    if (body.dryRun || selected.length === 0) {
      res.json({ data: { ...view, keys: selected.slice(0, settings.dlqSampleMax).map((s) => s.job_key) } });
      return;
    }
    const generating = crm.runs(sim.id).find((x) => x.kind === 'generate');
    const live = generating && runs.get(generating.run_id);
    if (live && live.run.status === 'running') {
      // The simulation still runs: its own actor takes the entries back, in the same order.
      live.run.submit({
        kind: 'message',
        to: SIMULATION_ID,
        body: { kind: 'dlq-replay', categories: body.categories, limit, useFullRetry: body.useFullRetry },
      });
      res.status(202).json({ data: { ...view, runId: live.run.id, via: 'running simulation' } });
      return;
    }
    // It has ended: a replay run of the same simulation takes exactly these entries.
    const first = generating ? store.getRun(generating.run_id) : undefined;
    const original = first
      ? ((JSON.parse(first.options_json) as { policies?: Record<string, unknown> }).policies ?? {})
      : {};
    const hosted = startRun(ctx, crm, sim, 'replay', 6 * 3_600_000, {
      ...original,
      replay: { entries: selected.map((s) => JSON.parse(s.entry_json)), useFullRetry: body.useFullRetry },
    });
    res.status(202).json({ data: { ...view, runId: hosted.run.id, via: 'replay run' } });
  });

  return r;
}

function simulationOf(crm: CrmStore, req: Request): SimulationRow {
  const { id } = parse(simulationIdParam, req.params, 'params');
  const sim = crm.simulation(id);
  if (!sim) throw new PackError('simulation_not_found', 404, `no simulation ${id}`, 'id');
  return sim;
}

interface SimulationOptions {
  seed: number;
  sink: 'model' | 'http';
  pace?: number | 'turbo';
}

function simulationOptions(sim: SimulationRow): SimulationOptions {
  return JSON.parse(sim.options_json) as SimulationOptions;
}

/** A simulation's status is its generating run's (`created` before it has one), never a copy that could go stale. */
function simulationView(
  { runs, store }: PackHttpContext,
  sim: SimulationRow,
  simRuns: { run_id: string; kind: string }[],
) {
  const { options_json: _options, ...rest } = sim;
  const { seed, sink } = simulationOptions(sim);
  const generating = simRuns.find((x) => x.kind === 'generate')?.run_id;
  const status =
    generating === undefined
      ? 'created'
      : (runs.get(generating)?.run.status ?? store.getRun(generating)?.status ?? 'unknown');
  return { ...rest, status, seed, sink, runs: simRuns.map((x) => ({ runId: x.run_id, kind: x.kind })) };
}

/**
 * Start one of a simulation's runs with its seed and sink: paced 1:1 for the HTTP sink unless it
 * asked otherwise (the limiter's clock must be the CRM's), the owner's CRM token in memory.
 */
function startRun(
  { runs }: PackHttpContext,
  crm: CrmStore,
  sim: SimulationRow,
  kind: 'generate' | 'replay',
  simDurationMs: number,
  policies: Record<string, unknown>,
) {
  const options = simulationOptions(sim);
  const release = holdOwnerToken(crm, sim);
  let hosted: ReturnType<typeof runs.start>;
  try {
    hosted = runs.start({
      scenario: `${PACK}/${sim.scenario}`,
      seed: options.seed,
      pace: options.pace ?? (options.sink === 'http' ? 1 : 'turbo'),
      simDurationMs,
      policies,
    });
  } catch (err) {
    release();
    throw err;
  }
  void hosted.done.finally(release);
  crm.addRun(sim.id, hosted.run.id, kind);
  return hosted;
}

function dlqView(row: ReturnType<CrmStore['waitingDlq']>[number]) {
  return {
    key: row.job_key,
    record: row.record,
    type: row.type,
    category: row.category,
    attempts: row.attempts,
    message: row.message,
    atSimMs: row.at_sim_ms,
    items: row.items,
    runId: row.run_id,
  };
}

/** A run's counters: live from its book, or from its stored summary once it ended. */
function runCounters({ runs, store }: PackHttpContext, runId: string, kind: 'generate' | 'replay'): RunCounters {
  const hosted = runs.get(runId);
  if (hosted) {
    const s = hosted.run.summary();
    return { runId, kind, status: s.status, simTimeMs: s.simTimeMs, counters: s.counters };
  }
  const row = store.getRun(runId);
  const summary = row?.summary_json
    ? (JSON.parse(row.summary_json) as { counters: Record<string, number>; simTimeMs: number; status: string })
    : undefined;
  // A run killed outright has no summary until it is resumed: its counts as last flushed to the store.
  return {
    runId,
    kind,
    status: row?.status ?? 'unknown',
    simTimeMs: summary?.simTimeMs ?? row?.sim_ms ?? 0,
    counters: summary?.counters ?? store.counterTotals(runId),
  };
}

/**
 * An HTTP-sink simulation writes to the CRM with its owner's token: only the owner or a boss may
 * start it, and only a known user (the anonymous caller never borrows the global token).
 */
function mayWriteAsOwner(crm: CrmStore, sim: SimulationRow, req: Request): void {
  if (simulationOptions(sim).sink !== 'http') return;
  const user = userOf(crm, req);
  if (!user)
    throw new PackError(
      'user_required',
      401,
      `simulation ${sim.id} writes to the CRM as its owner: send your X-User-Token`,
      'id',
    );
  if (user.id !== sim.owner_id && user.role !== 'boss')
    throw new PackError(
      'not_owner',
      403,
      `simulation ${sim.id} writes to the CRM with its owner's token: only its owner or a boss may start it`,
      'id',
    );
}

/**
 * The owner's CRM token, decrypted into memory for an HTTP-sink run (never logged, never in a
 * run's log) and forgotten when the last run using it ends. Returns the release.
 */
function holdOwnerToken(crm: CrmStore, sim: SimulationRow, done?: Promise<unknown>): () => void {
  const owner = sim.owner_id === null ? undefined : crm.user(sim.owner_id);
  if (simulationOptions(sim).sink !== 'http' || !owner?.crm_token_enc) return () => undefined;
  const release = useTokenFor(simulationKey(sim.id), decryptToken(encryptionKey(), owner.crm_token_enc));
  void done?.finally(release);
  return release;
}
