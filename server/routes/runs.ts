// The generic run routes: start, list, inspect, steer, stop and watch any scenario's runs.
import { Router, type RequestHandler } from 'express';
import { TickworkError } from '../../runtime/errors.js';
import { runListing } from '../../runtime/run/run-listing.js';
import type { RunRegistry } from '../../runtime/run/run-registry.js';
import type { Store } from '../../runtime/store/store.js';
import {
  actorIdParam,
  compareQuery,
  eventBody,
  listQuery,
  policyBody,
  seriesQuery,
  startRunBody,
  stopBody,
  waitQuery,
} from '../../runtime/edge/run-requests.js';
import { parse } from '../../runtime/edge/request-parse.js';
import { runView, summaryOf } from '../../runtime/edge/run-view.js';
import { StreamClients, streamRun } from '../sse.js';
import { compareRuns } from '../../runtime/report/run-compare.js';
import { renderRunReport, reportSeries } from '../../runtime/report/run-report.js';
import type { RunSummary } from '../../runtime/run/run-summary.js';

export function runRoutes(runs: RunRegistry, store: Store, mutating: RequestHandler): Router {
  const r = Router();
  const streams = new StreamClients();
  // Every :id may be a unique prefix of a run id; from here on handlers see the full id.
  r.param('id', (req, _res, next, ref: string) => {
    try {
      req.params.id = ref === 'latest' ? ref : runs.resolveId(ref);
      next();
    } catch (err) {
      next(err);
    }
  });

  r.post('/api/runs', mutating, (req, res) => {
    const body = parse(startRunBody, req.body);
    const hosted = runs.start(body);
    res.status(201).json(runView(hosted));
  });

  r.get('/api/runs', (req, res) => {
    const { limit } = parse(listQuery, req.query, 'query');
    const hostedIds = new Set(runs.all().map((h) => h.run.id));
    // Hosted runs with their live state, plus what their rows say (start time, verdict once ended).
    const live = runs
      .all()
      .map((h) => {
        const row = store.getRun(h.run.id);
        return { ...(row ? runListing(row) : {}), ...runView(h) };
      })
      .reverse();
    const stored = store
      .listRuns(limit)
      .filter((row) => !hostedIds.has(row.id))
      .map(runListing);
    res.json({ runs: [...live, ...stored].slice(0, limit) });
  });

  r.get('/api/runs/:id', (req, res) => {
    const hosted = runs.get(req.params.id);
    if (hosted) return res.json(runView(hosted));
    const row = store.getRun(req.params.id);
    if (!row) throw notFound(req.params.id);
    res.json(runListing(row));
  });

  // Long poll: answers with the summary once the run ends, or its state when `timeoutS` passes
  // first (202), so a CI job needs no `sleep 720`.
  r.get('/api/runs/:id/wait', async (req, res) => {
    const { timeoutS } = parse(waitQuery, req.query, 'query');
    const hosted = runs.get(req.params.id);
    if (hosted) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>(
        (resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutS * 1000)),
      );
      const ended = await Promise.race([hosted.done.then(() => 'ended' as const), timedOut]);
      clearTimeout(timer);
      if (ended === 'timeout') return res.status(202).json({ data: { ...runView(hosted), waited: 'timeout' } });
    }
    res.json({ data: summaryOf(req.params.id, runs, store) });
  });

  // Continue an interrupted run (after a server restart, or a killed CLI run) from its checkpoint.
  r.post('/api/runs/:id/resume', mutating, (req, res) => {
    const hosted = runs.resume(String(req.params.id));
    res.status(202).json(runView(hosted));
  });

  r.get('/api/runs/:id/summary', (req, res) => {
    res.json({ data: summaryOf(req.params.id, runs, store) });
  });

  // A metric over sim time, from the stored intervals (live runs flush about once a second).
  r.get('/api/runs/:id/series', (req, res) => {
    const { metric, statistic } = parse(seriesQuery, req.query, 'query');
    if (!runs.get(req.params.id) && !store.getRun(req.params.id)) throw notFound(req.params.id);
    res.json({ data: store.metricSeries(req.params.id, metric, statistic) });
  });

  // The input log as recorded (policies, events, stops, messages, effect results), oldest first.
  r.get('/api/runs/:id/inputs', (req, res) => {
    const { limit } = parse(listQuery, req.query, 'query');
    if (!runs.get(req.params.id) && !store.getRun(req.params.id)) throw notFound(req.params.id);
    res.json({ data: store.inputs(req.params.id).slice(0, limit) });
  });

  // One self-contained HTML file to keep or attach; live runs report their state so far.
  r.get('/api/runs/:id/report', (req, res) => {
    const summary = summaryOf(req.params.id, runs, store) as RunSummary;
    res
      .type('html')
      .set(
        'content-disposition',
        `${req.query.download === '1' ? 'attachment' : 'inline'}; filename="report-${summary.runId}.html"`,
      )
      .send(renderRunReport(summary, reportSeries(store, summary)));
  });

  r.get('/api/compare', (req, res) => {
    const { a, b } = parse(compareQuery, req.query, 'query');
    res.json({
      data: compareRuns(
        summaryOf(runs.resolveId(a), runs, store) as RunSummary,
        summaryOf(runs.resolveId(b), runs, store) as RunSummary,
      ),
    });
  });

  // With a middleware before the handler Express's types widen params to string | string[].
  r.post('/api/runs/:id/policy', mutating, (req, res) => {
    const body = parse(policyBody, req.body);
    const runId = String(req.params.id);
    runs.submitPolicy(runId, body.policies);
    res.status(202).json({ runId, accepted: 'policy', appliesAt: 'next tick' });
  });

  r.post('/api/runs/:id/events', mutating, (req, res) => {
    const body = parse(eventBody, req.body);
    const runId = String(req.params.id);
    runs.submitEvent(runId, body.type, body.durationMin, body.parameters);
    res.status(202).json({ runId, accepted: body.type, appliesAt: 'next tick' });
  });

  r.post('/api/runs/:id/stop', mutating, async (req, res) => {
    const body = parse(stopBody, req.body);
    const summary = await runs.stop(String(req.params.id), body.reason ?? 'stopped over HTTP');
    res.json({ runId: summary.runId, status: summary.status, simTimeMs: summary.simTimeMs, digest: summary.digest });
  });

  r.get('/api/runs/:id/stream', (req, res) => {
    const hosted = runs.get(req.params.id);
    if (!hosted) throw notFound(req.params.id);
    streamRun(req, res, hosted, streams);
  });

  r.get('/api/runs/:id/actors/:actorId', async (req, res) => {
    const hosted = runs.get(req.params.id);
    if (!hosted) throw notFound(req.params.id);
    if (hosted.run.status !== 'running')
      throw new TickworkError(
        'TW_ERR_RUN_STATE',
        `run ${req.params.id} is ${hosted.run.status}: live actor state exists only while it runs`,
      );
    const actorId = actorIdParam(req.params.actorId);
    const actor = await hosted.run.inspectActor(actorId);
    if (!actor)
      throw new TickworkError(
        'TW_ERR_RUN_NOT_FOUND',
        `actor ${actorId} does not live in run ${req.params.id}`,
        'actorId',
      );
    res.json({ runId: req.params.id, simMs: hosted.run.simMs, actor });
  });

  return r;
}

function notFound(runId: string): TickworkError {
  return new TickworkError('TW_ERR_RUN_NOT_FOUND', `unknown run '${runId}'`, 'runId');
}
