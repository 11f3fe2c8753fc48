// Runbook 002's HTTP surface against a real SQLite file on loopback: create and start a
// simulation, its metrics, segments and health; boss-only DLQ routes with users from the CLI;
// replay (dry run, cap, rate limit) into a replay run; thinning events; token encryption.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { startServer } from '../../server/server.js';
import { decryptToken, encryptionKey, encryptToken } from '../../actors/crm/config/token-crypto.js';
import { PACKS, cliSync, http, lastJsonLine, tempDir, waitFor } from '../helpers.js';

type Server = Awaited<ReturnType<typeof startServer>>;
const SECRET = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const dbPath = path.join(tempDir(), 'crm.db');
let server: Server;
let bossToken = '';
let operatorToken = '';

function addUser(name: string, role: string, crmToken?: string): { token: string; crmToken: boolean } {
  const args = [
    'crm',
    'user',
    'add',
    name,
    '--role',
    role,
    '--db',
    dbPath,
    '--json',
    ...(crmToken ? ['--crm-token', crmToken] : []),
  ];
  const r = cliSync(args, { TOKEN_ENC_SECRET: SECRET });
  assert.is(r.code, 0, r.stderr);
  return lastJsonLine(r.stdout);
}

test.before(async () => {
  bossToken = addUser('ada', 'boss').token;
  operatorToken = addUser('olly', 'operator').token;
  process.env.DLQ_REPLAY_LIMIT_CAP = '3';
  process.env.DLQ_SAMPLE_MAX = '4';
  try {
    server = await startServer({ packs: PACKS, host: '127.0.0.1', port: 0, dbPath, token: undefined });
  } finally {
    delete process.env.DLQ_REPLAY_LIMIT_CAP;
    delete process.env.DLQ_SAMPLE_MAX;
  }
});
test.after(async () => {
  await server.close('test done');
});

const api = (method: string, p: string, body?: unknown, user?: string) =>
  http(method, `${server.url}${p}`, body, user ? { 'X-User-Token': user } : {});

async function settled(id: number) {
  return waitFor(`simulation ${id} settled`, async () => {
    const m = await api('GET', `/api/simulations/${id}/metrics`);
    return m.body.data.settled && m.body.data;
  });
}

test('bad bodies are refused with a code, a message and the field', async () => {
  const bad = async (body: unknown, field: string) => {
    const r = await api('POST', '/api/simulations', body);
    assert.is(r.status, 400, JSON.stringify(r.body));
    assert.is(r.body.error.path, field, JSON.stringify(r.body));
  };
  const ok = { start_time: '2026-01-05T08:00:00Z', end_time: '2026-01-05T12:00:00Z', total_records: 100 };
  await bad({ ...ok, end_time: '2026-01-05T07:00:00Z' }, 'end_time');
  await bad({ ...ok, end_time: '2026-02-05T07:00:00Z' }, 'end_time');
  await bad({ ...ok, distribution_method: 'poisson' }, 'distribution_method');
  await bad({ ...ok, total_records: 1_000_001 }, 'total_records');
  await bad({ ...ok, start_time: 'yesterday' }, 'start_time');
  const unknown = await api('POST', '/api/simulations', { ...ok, scenario: 'nope' });
  assert.is(unknown.status, 404);
  assert.is((await api('GET', '/api/simulations/999/metrics')).status, 404);
});

test('a simulation over HTTP: created, started once, every segment expanded, the ledger balanced', async () => {
  const created = await api('POST', '/api/simulations', {
    start_time: '2026-01-05T08:00:00Z',
    end_time: '2026-01-05T14:00:00Z',
    scenario: 'b2b',
    distribution_method: 'business hours',
    total_records: 400,
    seed: 7,
  });
  assert.is(created.status, 201, JSON.stringify(created.body));
  const id = created.body.data.id;
  assert.is(created.body.data.status, 'created');
  assert.is(created.body.data.distribution_method, 'business_hours');
  const started = await api('POST', `/api/simulations/${id}/start`, {});
  assert.is(started.status, 202, JSON.stringify(started.body));
  const m = await settled(id);
  assert.is(m.primary.records, 400);
  assert.ok(m.secondary.created.note > 100, JSON.stringify(m.secondary));
  assert.is(m.ledger.generated, m.ledger.created + m.ledger.dlq + m.ledger.skipped);
  assert.is(m.balanced, true);
  assert.ok(m.ledger.dlq > 0, 'invalid emails reached the DLQ');
  const again = await api('POST', `/api/simulations/${id}/start`, {});
  assert.is(again.status, 409);
  assert.is(again.body.error.code, 'simulation_started');
  const segments = (await api('GET', `/api/simulations/${id}/segments`)).body.data;
  assert.is(segments.total, 6);
  assert.is(segments.expanded, 6);
  assert.is(
    segments.segments.reduce((n: number, s: { records: number }) => n + s.records, 0),
    400,
  );
  assert.is(segments.segments[0].start, '2026-01-05T08:00:00.000Z');
});

test('boss-only routes: no token 401, an operator 403, a boss reads the DLQ (at most DLQ_SAMPLE_MAX samples)', async () => {
  const id = await finishedSimulation({ total_records: 300, seed: 3 });
  assert.is((await api('GET', `/api/simulations/${id}/dlq`)).status, 401);
  const operator = await api('GET', `/api/simulations/${id}/dlq`, undefined, operatorToken);
  assert.is(operator.status, 403);
  assert.is(operator.body.error.code, 'role_forbidden');
  assert.is((await api('GET', `/api/simulations/${id}/dlq`, undefined, 'tw_not-a-user')).status, 401);
  const dlq = await api('GET', `/api/simulations/${id}/dlq`, undefined, bossToken);
  assert.is(dlq.status, 200);
  assert.ok(dlq.body.data.samples.length > 0 && dlq.body.data.samples.length <= 4);
  assert.is(dlq.body.data.samples[0].category, 'validation');
  const summary = await api('GET', '/api/dlq/summary', undefined, bossToken);
  assert.ok(summary.body.data.byCategory.some((c: { category: string }) => c.category === 'validation'));
});

test('replay: a dry run selects, the cap bounds a real one, a replay run takes the entries out, the ledger still balances', async () => {
  // The outage drill: twenty minutes of 5xx an hour in, so jobs past their attempts land in the DLQ as server.
  const id = await finishedSimulation({ scenario: 'outage', total_records: 600, seed: 5 });
  const before = (await api('GET', `/api/simulations/${id}/metrics`)).body.data;
  assert.ok(before.dlqByCategory.server >= 10, JSON.stringify(before.dlqByCategory));
  const dry = await api('POST', `/api/simulations/${id}/dlq/replay`, { categories: ['server'], limit: 10 }, bossToken);
  assert.is(dry.status, 200, JSON.stringify(dry.body));
  assert.is(dry.body.data.dryRun, true);
  assert.is(dry.body.data.selected, 10, 'a dry run shows what the limit would take');
  assert.equal(Object.keys(dry.body.data.byCategory), ['server']);
  const real = await api(
    'POST',
    `/api/simulations/${id}/dlq/replay`,
    { dryRun: false, categories: ['server'], limit: 10, useFullRetry: true },
    bossToken,
  );
  assert.is(real.status, 202, JSON.stringify(real.body));
  assert.is(real.body.data.selected, 3, 'DLQ_REPLAY_LIMIT_CAP is the final guard');
  assert.is(real.body.data.via, 'replay run');
  const after = await settled(id);
  assert.is(after.runs.length, 2);
  assert.is(after.ledger.generated, before.ledger.generated, 'a replay generates nothing');
  assert.ok(after.ledger.created > before.ledger.created, 'replayed jobs were created');
  assert.is(after.balanced, true);
  assert.is(
    after.dlqByCategory.server,
    before.dlqByCategory.server - real.body.data.items,
    'the replayed entries left the DLQ',
  );
  const left = await api(
    'POST',
    `/api/simulations/${id}/dlq/replay`,
    { categories: ['server'], limit: 1000 },
    bossToken,
  );
  assert.ok(!left.body.data.keys.some((k: string) => real.body.data.keys?.includes(k)));
});

test('the replay limiter: five calls per 30 s per user, then 429 with retryAfterMs', async () => {
  const boss2 = addUser('bea', 'boss').token;
  const id = await finishedSimulation({ total_records: 20, seed: 11 });
  for (let i = 0; i < 5; i++)
    assert.is((await api('POST', `/api/simulations/${id}/dlq/replay`, {}, boss2)).status, 200);
  const sixth = await api('POST', `/api/simulations/${id}/dlq/replay`, {}, boss2);
  assert.is(sixth.status, 429);
  assert.is(sixth.body.error.code, 'replay_rate_limited');
  assert.ok(sixth.body.error.retryAfterMs > 0 && sixth.body.error.retryAfterMs <= 30_000);
});

test('thinning events: a flood past the backlog mark is thinned, each change kept for a boss', async () => {
  const created = await api('POST', '/api/simulations', {
    start_time: '2026-01-10T08:00:00Z',
    end_time: '2026-01-10T08:30:00Z',
    scenario: 'b2c',
    distribution_method: 'uniform',
    total_records: 40_000,
    seed: 2,
  });
  const id = created.body.data.id;
  await api('POST', `/api/simulations/${id}/start`, {});
  const m = await settled(id);
  assert.ok(m.skipped.thinning > 0);
  assert.is(m.balanced, true);
  const events = await api('GET', `/api/simulations/${id}/thinning-events`, undefined, bossToken);
  assert.is(events.status, 200);
  const list = events.body.data.events;
  assert.ok(list.length >= 2);
  assert.ok(list[0].after < list[0].before && list[0].totalWaiting > 2000, JSON.stringify(list[0]));
  assert.is((await api('GET', `/api/simulations/${id}/thinning-events`, undefined, operatorToken)).status, 403);
});

test('health: the limiter, cooldown and breaker of a running simulation', async () => {
  const created = await api('POST', '/api/simulations', {
    start_time: '2026-01-05T09:00:00Z',
    end_time: '2026-01-05T10:00:00Z',
    total_records: 500,
    pace: 60,
    seed: 4,
  });
  const id = created.body.data.id;
  const started = await api('POST', `/api/simulations/${id}/start`, {});
  const health = await waitFor('a running simulation in /api/health', async () => {
    const h = await api('GET', '/api/health');
    const mine = h.body.data.simulations.find((s: { simulation: number }) => s.simulation === id);
    return mine && mine.simTimeMs > 0 && mine;
  });
  assert.is(health.runId, started.body.data.runId);
  assert.is(health.buckets.tenSecondly.max, 190);
  assert.is(health.breaker.state, 'closed');
  assert.is(typeof health.cooldown.active, 'boolean');
  await http('POST', `${server.url}/api/runs/${started.body.data.runId}/stop`, {});
});

test('Prometheus: METRICS_PROM_ENABLED=1 adds the simcrm_* families (PROM_DEFAULT_BUCKETS for latency); without it, none', async () => {
  await finishedSimulation({ total_records: 50, seed: 9 });
  const scrape = async () => (await fetch(`${server.url}/metrics`)).text();
  assert.not.match(await scrape(), /simcrm_/);
  process.env.METRICS_PROM_ENABLED = '1';
  process.env.PROM_DEFAULT_BUCKETS = '100,250,500';
  try {
    const text = await scrape();
    const value = (line: string) =>
      Number(new RegExp(`^${line.replace(/[{}".+]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    assert.ok(value('simcrm_created_total{type="contact"}') >= 50 - 5, 'contacts created (a few invalid emails aside)');
    assert.match(text, /^simcrm_request_duration_seconds_bucket\{le="0\.25"\} \d+$/m);
    assert.not.match(
      text,
      /simcrm_request_duration_seconds_bucket\{le="0\.05"\}/,
      'the buckets are the configured ones',
    );
    assert.ok(value('simcrm_dlq_items_total{category="validation"}') >= 0);
    assert.match(text, /^simcrm_circuit_breaker_state \S+$/m);
    assert.match(text, /^simcrm_cooldown_remaining_seconds \S+$/m);
  } finally {
    delete process.env.METRICS_PROM_ENABLED;
    delete process.env.PROM_DEFAULT_BUCKETS;
  }
});

test("an HTTP-sink simulation writes with its owner's token: anonymous callers cannot create one, nor another operator start it", async () => {
  const window = {
    start_time: '2026-01-05T09:00:00Z',
    end_time: '2026-01-05T09:00:30Z',
    scenario: 'smoke',
    total_records: 10,
  };
  const anonymous = await api('POST', '/api/simulations', { ...window, sink: 'http' });
  assert.equal([anonymous.status, anonymous.body.error?.code], [401, 'user_required']);
  const owner = addUser('owen', 'operator', 'pat-na1-owen').token;
  const created = await api('POST', '/api/simulations', { ...window, sink: 'http' }, owner);
  assert.is(created.status, 201, JSON.stringify(created.body));
  const id = created.body.data.id;
  const byStranger = await api('POST', `/api/simulations/${id}/start`, {}, operatorToken);
  assert.equal([byStranger.status, byStranger.body.error?.code], [403, 'not_owner']);
  const byNobody = await api('POST', `/api/simulations/${id}/start`, {});
  assert.equal([byNobody.status, byNobody.body.error?.code], [401, 'user_required']);
  assert.equal((await api('GET', `/api/simulations/${id}`)).body.data.runs, [], 'nothing started');
});

test('CRM tokens at rest: AES-256-GCM, a fresh IV each time, a wrong secret refused', () => {
  const key = encryptionKey({ TOKEN_ENC_SECRET: SECRET });
  const a = encryptToken(key, 'pat-na1-secret');
  const b = encryptToken(key, 'pat-na1-secret');
  assert.is.not(a, b);
  assert.not.match(a, /pat-na1/);
  assert.is(decryptToken(key, a), 'pat-na1-secret');
  assert.throws(() => decryptToken(encryptionKey({ TOKEN_ENC_SECRET: 'x'.repeat(32) }), a), /does not decrypt/);
  assert.throws(() => encryptionKey({ TOKEN_ENC_SECRET: 'short' }), /TOKEN_ENC_SECRET must be a 32-byte key/);
  // A passphrase is stretched, never used as the key itself.
  assert.not.equal(encryptionKey({ TOKEN_ENC_SECRET: 'x'.repeat(32) }), Buffer.from('x'.repeat(32)));
  // A tag cut to 4 bytes (GCM would accept it: 2^32 forgery odds) is refused.
  const [iv, tag, data] = a.split('.');
  const shortTag = [iv, Buffer.from(tag, 'base64url').subarray(0, 4).toString('base64url'), data].join('.');
  assert.throws(() => decryptToken(key, shortTag), /16-byte tag/);
  assert.throws(() => encryptionKey({}), /TOKEN_ENC_SECRET is required/);
  const stored = addUser('cal', 'operator', 'pat-na1-cal');
  assert.is(stored.crmToken, true);
  const refused = cliSync(['crm', 'user', 'add', 'dee', '--role', 'boss', '--crm-token', 'x', '--db', dbPath], {
    TOKEN_ENC_SECRET: '',
  });
  assert.is(refused.code, 2);
  assert.match(refused.stderr, /TOKEN_ENC_SECRET is required/);
});

/** A simulation over four hours, run to its end; its id. */
async function finishedSimulation(body: Record<string, unknown>): Promise<number> {
  const created = await api('POST', '/api/simulations', {
    start_time: '2026-01-05T09:00:00Z',
    end_time: '2026-01-05T13:00:00Z',
    ...body,
  });
  assert.is(created.status, 201, JSON.stringify(created.body));
  const id = created.body.data.id;
  assert.is((await api('POST', `/api/simulations/${id}/start`, {})).status, 202);
  await settled(id);
  return id;
}

test.run();
