// Slack's two endpoints for the `/quote` command: POST /slack/commands (the slash command, form
// encoded) answers inside Slack's 3-second window with the comparison card; POST /slack/actions
// (interactive `payload`) takes the Promote button. Every request is checked against
// SLACK_SIGNING_SECRET on its raw body first (Slack cannot send a bearer token: the signature is
// the authentication); a refused one gets 401, is counted (sim_slack_refusals_total{reason}) and
// audited, at most one row per cause a minute: these routes are public, so a flood of unsigned
// requests must not fill the disk. The card is answered inline: a
// simulate takes well under a millisecond of CPQ work (bench/RESULTS.md), so nothing is deferred;
// a promotion's confirmation goes to the action's `response_url`, as Slack ignores action bodies.
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { CallLimiter, type Logger, PackError, type PackTables, parse } from '../../../runtime/sdk.js';
import type { DealDesk } from '../domain/desk/deal-desk.js';
import type { EdgeClock } from '../domain/desk/edge-clock.js';
import { comparisonCard, notice, PROMOTE_ACTION } from './comparison-card.js';
import { ReplayGuard, verifySlackSignature } from './slack-signature.js';

export interface SlackConfig {
  signingSecret: string | undefined;
  /** Hosts a `response_url` may name over https (Slack's own by default), or exact origins (`http://host:port`). */
  responseHosts: readonly string[];
}

export function slackConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SlackConfig {
  return {
    signingSecret: env.SLACK_SIGNING_SECRET || undefined,
    responseHosts: (env.DEALFLIGHT_SLACK_RESPONSE_HOSTS || 'hooks.slack.com')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean),
  };
}

const commandForm = z.object({
  command: z.string().max(100).default('/quote'),
  text: z.string().max(2000).default(''),
  user_id: z.string().max(100).default('unknown'),
});
const actionPayload = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: z.string().max(100) }),
  response_url: z.string().url().max(2000).optional(),
  actions: z
    .array(z.object({ action_id: z.string().max(255), value: z.string().max(2000) }))
    .min(1)
    .max(25),
});
const promoteValue = z.strictObject({ runId: z.string().min(1).max(100), variantKey: z.string().min(1).max(100) });

const USAGE =
  'Usage: `/quote simulate <quote_id> <variant> [| <variant>]...` e.g. `/quote simulate Q-1001 discount=15% | term=36`';

export interface SlackEdge {
  /** Where seen signatures are kept (the pack's tables). */
  tables: PackTables;
  /** Counts a refused request by its cause. */
  countRefusal(reason: string): void;
}

export function slackRoutes(
  desk: DealDesk,
  clock: EdgeClock,
  log: Logger,
  edge: SlackEdge,
  config = slackConfigFromEnv(),
): Router {
  const r = Router();
  const replays = new ReplayGuard(edge.tables);
  // One audit row per cause a minute; the counter has every refusal.
  const auditedCauses = new CallLimiter(1, 60_000);
  // Raw bodies: the signature covers the bytes as sent.
  r.use('/slack', express.raw({ type: () => true, limit: '64kb' }));
  r.use('/slack', (req, _res, next) => {
    if (!config.signingSecret)
      throw new PackError('SIM_SLACK_NOT_CONFIGURED', 503, 'set SLACK_SIGNING_SECRET to take Slack requests');
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.get('x-slack-signature');
    const nowS = clock.nowEpochS();
    const verdict = verifySlackSignature(
      config.signingSecret,
      { timestamp: req.get('x-slack-request-timestamp'), signature },
      body,
      nowS,
    );
    const reason = !verdict.ok ? verdict.reason : replays.firstSighting(signature!, nowS) ? undefined : 'replayed';
    if (reason) {
      const code = `SIM_SLACK_SIGNATURE_${reason.toUpperCase()}`;
      edge.countRefusal(reason);
      if (auditedCauses.take(code, nowS * 1000) === 0) desk.auditRefusal(code);
      throw new PackError('SIM_SLACK_UNAUTHORIZED', 401, `Slack signature ${reason}`);
    }
    next();
  });

  r.post('/slack/commands', async (req, res) => {
    const form = parse(commandForm, Object.fromEntries(new URLSearchParams(rawText(req))), 'form');
    const text = form.text.trim();
    if (!/^simulate\b/i.test(text)) return res.json(notice(USAGE));
    try {
      const c = await desk.simulate(text, `slack:${form.user_id}:${clock.newId()}`);
      res.json(comparisonCard(c, desk.currency));
    } catch (err) {
      if (!(err instanceof PackError)) throw err;
      // Slack shows a 200 answer to the user; an error status would only say "failed".
      res.json(
        notice(
          err.code === 'SIM_PAUSED'
            ? ':pause_button: The Deal Flight simulator is paused. Quotes and past comparisons are intact.'
            : `\`${err.code}\` ${err.message}\n${USAGE}`,
        ),
      );
    }
  });

  r.post('/slack/actions', (req, res) => {
    const payload = actionPayload.safeParse(parseJson(new URLSearchParams(rawText(req)).get('payload')));
    if (!payload.success)
      throw new PackError(
        'SIM_SLACK_PAYLOAD',
        400,
        `payload: ${payload.error.issues[0].path.join('.')}: ${payload.error.issues[0].message}`,
        'payload',
      );
    const action = payload.data.actions[0];
    if (!action.action_id.startsWith(PROMOTE_ACTION))
      throw new PackError(
        'SIM_SLACK_PAYLOAD',
        400,
        `unknown action ${action.action_id}`,
        'payload.actions.0.action_id',
      );
    const value = promoteValue.safeParse(parseJson(action.value));
    if (!value.success)
      throw new PackError(
        'SIM_SLACK_PAYLOAD',
        400,
        'the Promote button carries no run and variant',
        'payload.actions.0.value',
      );
    const { runId, variantKey } = value.data;
    let answer: ReturnType<typeof notice>;
    try {
      // One key per (run, variant, user): a double click or Slack's retry answers "duplicate".
      const result = desk.promote(
        runId,
        variantKey,
        `slack:${runId}:${variantKey}:${payload.data.user.id}`,
        `slack:${payload.data.user.id}`,
      );
      answer = notice(
        result.outcome === 'applied'
          ? `:rocket: Promoted ${variantKey}: quote is now version ${result.quoteVersion}.`
          : `${variantKey} was already promoted (quote version ${result.quoteVersion}).`,
      );
    } catch (err) {
      if (!(err instanceof PackError)) throw err;
      answer = notice(`\`${err.code}\` ${err.message}`);
    }
    res.json(answer);
    if (payload.data.response_url) void postToResponseUrl(payload.data.response_url, answer, config, log);
  });

  return r;
}

function rawText(req: Request): string {
  return Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
}

function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Whether a response_url may be posted to: an allowed host over https on its default port, or an
 * exact origin the operator listed (`http://127.0.0.1:8080` for a local stand-in).
 */
function responseUrlAllowed(url: URL, allowed: readonly string[]): boolean {
  if (allowed.includes(url.origin)) return true;
  return url.protocol === 'https:' && url.port === '' && allowed.includes(url.hostname);
}

async function postToResponseUrl(url: string, message: object, config: SlackConfig, log: Logger): Promise<void> {
  const target = new URL(url);
  if (!responseUrlAllowed(target, config.responseHosts)) {
    log.warn(
      { origin: target.origin },
      'response_url is not an allowed https host on its default port (DEALFLIGHT_SLACK_RESPONSE_HOSTS); not posting',
    );
    return;
  }
  try {
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
      // A redirect could lead anywhere: the allow-list is for the host that answers.
      redirect: 'error',
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) log.warn({ status: res.status }, 'response_url refused the message');
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'response_url unreachable');
  }
}
