// Deal Flight in Slack (issue 18): the slash command and the Promote button over real HTTP, each
// request signed as Slack signs it (computed here with node:crypto, not with the code under
// test). Valid, mis-signed, stale, replayed and unsigned requests; the card within Block Kit's
// limits at the hard maximum of variants; the Promote action answered on its response_url.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { createHmac } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import path from 'node:path';
import { startServer } from '../../server/server.js';
import { PACKS, rawRequest, tempDir, waitFor } from '../helpers.js';

const SECRET = 'test-signing-secret';
const dbPath = path.join(tempDir(), 'slack.db');
let server: Awaited<ReturnType<typeof startServer>>;
let hook: HttpServer;
const posted: unknown[] = [];
const hookPaths: string[] = [];
let hookUrl = '';
let thief: HttpServer;
let thiefHits = 0;
const savedEnv = { ...process.env };

test.before(async () => {
  // Another host a redirect could send the answer to.
  thief = createServer((_req, res) => {
    thiefHits++;
    res.end('ok');
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => thief.once('listening', resolve));
  const thiefUrl = `http://localhost:${(thief.address() as { port: number }).port}/stolen`;
  hook = createServer((req, res) => {
    hookPaths.push(req.url ?? '');
    if (req.url === '/redirect') return res.writeHead(307, { location: thiefUrl }).end();
    let body = '';
    req
      .on('data', (d) => (body += d))
      .on('end', () => {
        posted.push(JSON.parse(body));
        res.end('ok');
      });
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => hook.once('listening', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook`;
  Object.assign(process.env, {
    SLACK_SIGNING_SECRET: SECRET,
    // A local stand-in for hooks.slack.com: listed as an exact origin (http and a port need that).
    DEALFLIGHT_SLACK_RESPONSE_HOSTS: new URL(hookUrl).origin,
    DEALFLIGHT_MAX_VARIANTS: '10',
  });
  server = await startServer({ packs: PACKS, host: '127.0.0.1', port: 0, dbPath, token: undefined });
});
test.after(async () => {
  await server.close('test done');
  hook.close();
  thief.close();
  process.env = savedEnv;
});

const nowS = () => Math.floor(Date.now() / 1000);
function signed(body: string, at = nowS(), secret = SECRET): Record<string, string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${at}:${body}`).digest('hex')}`;
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(at),
    'x-slack-signature': signature,
  };
}
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const post = (route: string, body: string, headers: Record<string, string>) =>
  rawRequest(`${server.url}${route}`, 'POST', headers, body);
const auditCodes = () => {
  const db = new Database(dbPath, { readonly: true });
  const rows = db
    .prepare("SELECT error_code FROM deal_flight_scenario_audit WHERE error_code LIKE 'SIM_SLACK_%' ORDER BY id")
    .all() as { error_code: string }[];
  db.close();
  return rows.map((r) => r.error_code);
};

test('a signed /quote simulate answers with a card within Block Kit limits, even at 10 variants', async () => {
  const specs = Array.from({ length: 10 }, (_, i) => `discount=${i * 3}%, add sso`).join(' | ');
  const body = form({ command: '/quote', text: `simulate Q-1001 ${specs}`, user_id: 'U1', response_url: hookUrl });
  const r = await post('/slack/commands', body, signed(body));
  assert.is(r.status, 200, r.text);
  const card = r.body;
  assert.is(card.response_type, 'ephemeral');
  assert.ok(card.blocks.length <= 50, `${card.blocks.length} blocks`);
  assert.ok(r.text.length <= 13_000, `${r.text.length} characters`);
  assert.is(card.blocks[0].text.text, 'Quote Q-1001: 10 what-if variants');
  const buttons = card.blocks
    .filter((b: { type: string }) => b.type === 'actions')
    .flatMap((b: { elements: { text: { text: string }; value: string }[] }) => b.elements);
  assert.is(buttons.length, 10, 'every variant is valid here: each gets a Promote button');
  for (const b of buttons) assert.ok(b.text.text.length <= 75 && b.value.length <= 2000);
  for (const s of card.blocks.filter((b: { type: string }) => b.type === 'section')) {
    assert.ok(s.text.text.length <= 3000 && (s.fields ?? []).length <= 10);
  }
  assert.match(JSON.stringify(card.blocks), /:warning: needs (sales_manager|vp_finance)/, 'approval badges');
});

test('mis-signed, stale, replayed and unsigned requests get 401 and an audit row per cause', async () => {
  const body = form({ command: '/quote', text: 'simulate Q-1001 term=24', user_id: 'U2' });
  const good = signed(body);
  assert.is((await post('/slack/commands', body, good)).status, 200);
  const cases: [Record<string, string>, string][] = [
    [signed(body, nowS(), 'wrong-secret'), 'SIM_SLACK_SIGNATURE_MISMATCH'],
    [signed(body, nowS() - 301), 'SIM_SLACK_SIGNATURE_STALE'],
    [good, 'SIM_SLACK_SIGNATURE_REPLAYED'],
    [{ 'content-type': 'application/x-www-form-urlencoded' }, 'SIM_SLACK_SIGNATURE_MISSING'],
  ];
  for (const [headers] of cases) {
    const r = await post('/slack/commands', body, headers);
    assert.equal([r.status, r.body.error.code], [401, 'SIM_SLACK_UNAUTHORIZED']);
  }
  // A body changed after signing fails too (a mismatch again within the minute: counted, not stored again).
  assert.is((await post('/slack/commands', body.replace('term%3D24', 'term%3D36'), signed(body))).status, 401);
  assert.equal(
    auditCodes(),
    cases.map((c) => c[1]),
  );
});

test('a flood of unsigned requests is counted, not stored: one audit row per cause a minute', async () => {
  const before = auditCodes().length;
  const metric = async () =>
    Number(
      /sim_slack_refusals_total\{reason="missing"\} (\d+)/.exec(
        (await rawRequest(`${server.url}/metrics`, 'GET', {})).text,
      )?.[1] ?? 0,
    );
  const counted = await metric();
  const body = form({ command: '/quote', text: 'simulate Q-1001 term=24' });
  for (let i = 0; i < 300; i++) {
    const r = await post('/slack/commands', body, { 'content-type': 'application/x-www-form-urlencoded' });
    assert.is(r.status, 401);
  }
  assert.is(await metric(), counted + 300, 'every refusal counted');
  assert.ok(auditCodes().length - before <= 1, `at most one row stored: ${auditCodes().length - before}`);
});

test('a replay is refused by another server on the same store, and after a restart', async () => {
  const body = form({ command: '/quote', text: 'simulate Q-1001 term=12', user_id: 'U9' });
  const headers = signed(body);
  assert.is((await post('/slack/commands', body, headers)).status, 200);
  const other = await startServer({ packs: PACKS, host: '127.0.0.1', port: 0, dbPath, token: undefined });
  try {
    const r = await rawRequest(`${other.url}/slack/commands`, 'POST', headers, body);
    assert.equal([r.status, r.body.error?.code], [401, 'SIM_SLACK_UNAUTHORIZED']);
    assert.match(r.body.error.message, /replayed/);
  } finally {
    await other.close('test done');
  }
});

test('parse errors and help come back as a message the rep can read', async () => {
  const bad = form({ command: '/quote', text: 'simulate Q-1001 discount=15', user_id: 'U3' });
  const r = await post('/slack/commands', bad, signed(bad));
  assert.is(r.status, 200);
  assert.match(r.body.text, /^`SIM_PARSE` at column 28: expected '%'/);
  const long = form({ command: '/quote', text: `simulate Q-1001 ${'x'.repeat(2100)}`, user_id: 'U3' });
  const tooLong = await post('/slack/commands', long, signed(long));
  assert.equal([tooLong.status, tooLong.body.error.code, tooLong.body.error.path], [400, 'TW_ERR_VALIDATION', 'text']);
  const help = form({ command: '/quote', text: 'help', user_id: 'U3' });
  assert.match((await post('/slack/commands', help, signed(help))).body.text, /^Usage: `\/quote simulate <quote_id>/);
});

test('the Promote button applies the variant once; a double click says so; the answer reaches response_url', async () => {
  const body = form({ command: '/quote', text: 'simulate Q-1002 term=24 | discount=12%', user_id: 'U4' });
  const card = (await post('/slack/commands', body, signed(body))).body;
  const button = card.blocks.find((b: { type: string }) => b.type === 'actions').elements[0];
  // Each click has its own action_ts, so a double click is two distinct signed requests.
  const payload = (user: string, click: number, responseUrl = hookUrl) =>
    form({
      payload: JSON.stringify({
        type: 'block_actions',
        user: { id: user },
        response_url: responseUrl,
        actions: [{ action_id: button.action_id, value: button.value, action_ts: `${nowS()}.00000${click}` }],
      }),
    });
  const first = payload('U4', 1);
  const r1 = await post('/slack/actions', first, signed(first));
  assert.is(r1.status, 200);
  assert.match(r1.body.text, /^:rocket: Promoted v\d: quote is now version 2\.$/);
  const again = payload('U4', 2);
  assert.match(
    (await post('/slack/actions', again, signed(again))).body.text,
    /was already promoted \(quote version 2\)/,
  );
  await waitFor('both answers on response_url', () => posted.length >= 2);
  assert.match(JSON.stringify(posted), /:rocket: Promoted/);
  // A response_url that redirects elsewhere is not followed; one not on the list gets nothing.
  const redirected = payload('U4', 3, `${new URL(hookUrl).origin}/redirect`);
  await post('/slack/actions', redirected, signed(redirected));
  const unlisted = payload('U4', 4, hookUrl.replace('127.0.0.1', 'localhost'));
  await post('/slack/actions', unlisted, signed(unlisted));
  const last = payload('U4', 5);
  await post('/slack/actions', last, signed(last));
  await waitFor(
    'the redirect asked and the last answer in',
    () => hookPaths.includes('/redirect') && posted.length >= 3,
  );
  assert.is(thiefHits, 0, 'the redirect was not followed');
  assert.is(posted.length, 3, 'nothing posted to an unlisted host');
  const junk = form({ payload: '{"type":"block_actions"}' });
  const refused = await post('/slack/actions', junk, signed(junk));
  assert.equal([refused.status, refused.body.error.code], [400, 'SIM_SLACK_PAYLOAD']);
});

test('the kill switch: the slash command says the simulator is paused', async () => {
  await rawRequest(
    `${server.url}/api/dealflight/kill-switch`,
    'POST',
    { 'content-type': 'application/json' },
    JSON.stringify({ enabled: false }),
  );
  const body = form({ command: '/quote', text: 'simulate Q-1001 term=24', user_id: 'U5' });
  const r = await post('/slack/commands', body, signed(body));
  assert.match(r.body.text, /The Deal Flight simulator is paused/);
  await rawRequest(
    `${server.url}/api/dealflight/kill-switch`,
    'POST',
    { 'content-type': 'application/json' },
    JSON.stringify({ enabled: true }),
  );
});

test.run();
