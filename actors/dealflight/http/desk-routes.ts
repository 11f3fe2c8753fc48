// The desk as JSON over HTTP: the same operations as the Slack command and the CLI, under
// /api/dealflight. Refusals answer with the runbook's codes (SIM_PARSE with the column, ...), the
// kill switch is a route, and the runbook's sim_* counters are on the server's /metrics. Slack's
// endpoints (slack/slack-routes.ts) share the desk.
import { Router } from 'express';
import { Counter } from 'prom-client';
import { z } from 'zod';
import { createLogger, type PackHttpContext, parse, parseDurationMs, TickworkError } from '../../../runtime/sdk.js';
import { deskConfigFromEnv } from '../config/desk-config.js';
import { DealDesk, type DeskCounter } from '../domain/desk/deal-desk.js';
import { SYSTEM_EDGE_CLOCK } from '../domain/desk/edge-clock.js';
import { slackRoutes } from './slack-routes.js';

const MAX_TEXT = 2000;
const key = z.string().min(1).max(100);

const simulateBody = z.union([
  z.strictObject({ text: z.string().min(1).max(MAX_TEXT), correlationId: key.optional() }),
  // The structured form: the quote apart from its variant specs.
  z.strictObject({ quoteId: key, variants: z.string().min(1).max(MAX_TEXT), correlationId: key.optional() }),
]);
const promoteBody = z.strictObject({
  runId: key,
  variantKey: key,
  idempotencyKey: key.optional(),
  correlationId: key.optional(),
});
const switchBody = z.strictObject({ enabled: z.boolean() });
const parityQuery = z.object({ since: z.string().max(20).default('1d') });

const COUNTERS: Record<DeskCounter, string> = {
  requests: '`/quote simulate` requests received',
  success: 'simulate requests answered with a comparison',
  failures: 'simulate requests refused (parse errors, guardrails, unknown quotes)',
  variants_generated: 'variants evaluated',
  approval_required_variants: 'variants that need an approver',
  promotions_requested: 'promote actions received (retries and double clicks included)',
  promotions_applied: 'promotions applied to a quote (at most one per scenario run)',
};

export function deskRoutes(ctx: PackHttpContext): Router {
  const counters = Object.fromEntries(
    Object.entries(COUNTERS).map(([name, help]) => [
      name,
      new Counter({ name: `sim_${name}_total`, help: `Deal Flight: ${help}`, registers: [ctx.metricsRegistry] }),
    ]),
  ) as Record<DeskCounter, Counter>;
  const desk = new DealDesk(ctx.store.tables('dealflight'), deskConfigFromEnv(), SYSTEM_EDGE_CLOCK, (name, by = 1) =>
    counters[name].inc(by),
  );
  const r = Router();
  r.use('/api/dealflight', ctx.jsonBody);

  r.post('/api/dealflight/simulate', ctx.requireAdmin, async (req, res) => {
    const body = parse(simulateBody, req.body);
    // The structured form's columns count within `variants`, as its user typed them.
    const prefix = 'text' in body ? '' : `simulate ${body.quoteId} `;
    const c = await desk.simulate(
      'text' in body ? body.text : prefix + body.variants,
      body.correlationId,
      prefix.length,
    );
    res.json({ data: { runId: c.runId, quote: c.quote, base: c.base, variants: c.variants } });
  });

  r.post('/api/dealflight/promote', ctx.requireAdmin, (req, res) => {
    const body = parse(promoteBody, req.body);
    res.json({ data: desk.promote(body.runId, body.variantKey, body.idempotencyKey, body.correlationId) });
  });

  r.get('/api/dealflight/runs/:id', (req, res) => {
    res.json({ data: desk.run(parse(key, req.params.id, 'params.id')) });
  });

  r.get('/api/dealflight/quotes/:id', (req, res) => {
    const quote = desk.repo.quote(parse(key, req.params.id, 'params.id'));
    if (!quote) throw new TickworkError('TW_ERR_NOT_FOUND', `no quote ${req.params.id}`, 'params.id');
    res.json({ data: quote });
  });

  r.get('/api/dealflight/kill-switch', (_req, res) => res.json({ data: { enabled: desk.enabled } }));
  // The runbook's rollback, step 1: turn the command route off; tables stay as they are.
  r.post('/api/dealflight/kill-switch', ctx.requireAdmin, (req, res) => {
    desk.setEnabled(parse(switchBody, req.body).enabled);
    res.json({ data: { enabled: desk.enabled } });
  });

  r.get('/api/dealflight/parity', (req, res) => {
    const { since } = parse(parityQuery, req.query, 'query');
    const ms = parseDurationMs(since);
    if (ms === undefined)
      throw new TickworkError(
        'TW_ERR_VALIDATION',
        `since: '${since}' is not a duration like 1d, 12h or 30m`,
        'query.since',
      );
    const report = desk.parity(ms / 1000);
    res.json({ data: { since, ...report } });
  });

  // Slack's endpoints, on the same desk (and the same counters).
  const refusals = new Counter({
    name: 'sim_slack_refusals_total',
    help: 'Deal Flight: Slack requests refused, by cause (missing, stale, mismatch, replayed)',
    labelNames: ['reason'],
    registers: [ctx.metricsRegistry],
  });
  r.use(
    slackRoutes(desk, SYSTEM_EDGE_CLOCK, createLogger({ component: 'dealflight-slack' }), {
      tables: ctx.store.tables('dealflight'),
      countRefusal: (reason) => refusals.inc({ reason }),
    }),
  );
  return r;
}
