// The HTTP surface as an attacker sees it: foreign Origins and Hosts (cross-site requests, DNS
// rebinding), bodies of the wrong type, a token that guards everything, prototype keys, and
// scenario names that are paths. Real HTTP on loopback against the real server.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { startServer } from '../server/server.js';
import Database from 'better-sqlite3';
import nodeHttp from 'node:http';
import { PACKS, cliSync, http, rawRequest, tempDir, waitFor } from './helpers.js';

const start = (extra: Partial<Parameters<typeof startServer>[0]> = {}) =>
  startServer({
    packs: PACKS,
    host: '127.0.0.1',
    port: 0,
    dbPath: path.join(tempDir(), 'sec.db'),
    token: undefined,
    ...extra,
  });

/** Every row of every table in the store file, as one string: equal before and after means nothing was written. */
function storeContents(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[];
    return JSON.stringify(
      tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}"`).raw().all()]),
      (_k, v) => (Buffer.isBuffer(v) ? v.toString('base64') : typeof v === 'bigint' ? String(v) : v),
    );
  } finally {
    db.close();
  }
}

test('every GET is free of side effects (the runbook get-or-create GET /api/policy/run excepted): the store and the hosted runs are unchanged after calling each', async () => {
  const dbPath = path.join(tempDir(), 'get-audit.db');
  const server = await start({ dbPath, services: [{ pack: 'exec', port: 0 }] });
  try {
    const run = await http('POST', `${server.url}/api/runs`, {
      scenario: 'ledger',
      seed: 1,
      pace: 'turbo',
      policies: { accounts: 100 },
      durationMinutes: 1,
    });
    assert.is(run.status, 201, JSON.stringify(run.body));
    const runId = run.body.runId as string;
    assert.ok(runId, 'the start answers with the run id');
    // Ended, and its last rows written (the hosted run's promise settles after the store's final row).
    await waitFor('the run ended', async () => {
      const status = (await http('GET', `${server.url}/api/runs/${runId}`)).body.status;
      return status === 'completed';
    });
    await server.runs.get(runId)!.done;
    // Values for path parameters: a real run where one is named, else a name that does not exist.
    const param: Record<string, string> = { id: runId, pack: 'simcity', actorId: '0' };
    // Query strings that make a route do its real work (the runbook's required parameters).
    const policyRun = 'v=1&system_id=demo&sv=1&policy_version=rebal.greedy.v1&T_bucket=1715065200';
    const query: Record<string, string> = {
      '/api/policy/run': policyRun,
      '/api/policy/config': 'v=1',
      '/api/policy/moves': 'v=1&run_key=none',
      '/api/policy/status': 'v=1&run_key=none',
      '/api/runs/:id/wait': 'timeoutS=1',
    };
    const gets = server.routes.filter((r) => r.method === 'GET' && r.path !== '/api/policy/run');
    assert.ok(gets.length >= 40, `the route table lists the GETs (${gets.length})`);
    const hosted = server.runs.all().length;
    const before = storeContents(dbPath);
    for (const route of gets) {
      const url = `${route.base}${route.path.replace(/:(\w+)/g, (_m, name: string) => param[name] ?? 'none')}?${query[route.path] ?? ''}`;
      // An event stream stays open: its first bytes are enough.
      const r = await rawRequest(url, 'GET', { 'x-audit': '1' }, undefined, { firstBytesOnly: true });
      // A health check answers 503 while what it checks is down (here: no exec service runs); any other 5xx is a fault.
      const unhealthy = route.path.endsWith('/healthz') && r.status === 503 && /"ok":false/.test(r.text);
      assert.ok(r.status < 500 || unhealthy, `${route.path}: ${r.status} ${r.text.slice(0, 200)}`);
    }
    assert.is(server.runs.all().length, hosted, 'no run hosted or started by a GET');
    assert.ok(storeContents(dbPath) === before, 'no row written by a GET');
    // The one GET that creates (runbook 004's get-or-create) does show up: the audit sees writes.
    assert.is((await http('GET', `${server.url}/api/policy/run?${policyRun}`)).status, 200);
    assert.ok(storeContents(dbPath) !== before, 'a write is seen');
  } finally {
    await server.close('test over');
  }
});

test('a foreign Origin or Host is refused before any route runs; same-origin pages work', async () => {
  const server = await start();
  try {
    const body = JSON.stringify({ scenario: 'baseline', seed: 1, pace: 'turbo' });
    const host = new URL(server.url).host;
    const crossSite = await rawRequest(
      `${server.url}/api/runs`,
      'POST',
      { 'content-type': 'text/plain', origin: 'http://evil.example', host },
      body,
    );
    assert.equal(
      [crossSite.status, crossSite.body.error.code, crossSite.body.error.path],
      [403, 'TW_ERR_FORBIDDEN', 'origin'],
    );
    const rebinding = await rawRequest(
      `${server.url}/api/runs`,
      'POST',
      { 'content-type': 'application/json', host: 'evil.example:8080' },
      body,
    );
    assert.equal([rebinding.status, rebinding.body.error.path], [403, 'host']);
    const rebindingRead = await rawRequest(`${server.url}/api/runs`, 'GET', { host: 'evil.example' });
    assert.is(rebindingRead.status, 403, 'reads too: a rebinding page could read state');
    const runbookRoute = await rawRequest(
      `${server.url}/api/simcity/stop`,
      'POST',
      { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example', host },
      '{}',
    );
    assert.is(runbookRoute.status, 403, 'the runbook routes that read any body as JSON are behind the same check');
    assert.equal(server.runs.all(), [], 'no run started');

    const samePage = await rawRequest(
      `${server.url}/api/runs`,
      'POST',
      { 'content-type': 'application/json', origin: `http://${host}`, host },
      body,
    );
    assert.is(samePage.status, 201, JSON.stringify(samePage.body));
    const localhostName = await rawRequest(`${server.url}/healthz`, 'GET', {
      host: `localhost:${new URL(server.url).port}`,
    });
    assert.is(localhostName.status, 200);
  } finally {
    await server.close('test over');
  }
});

test("generic routes take JSON only as application/json; the runbook's curl -d keeps working on its routes", async () => {
  const server = await start();
  try {
    const plain = await rawRequest(
      `${server.url}/api/runs`,
      'POST',
      { 'content-type': 'text/plain' },
      JSON.stringify({ scenario: 'ledger' }),
    );
    assert.equal([plain.status, plain.body.error.code], [415, 'TW_ERR_UNSUPPORTED_MEDIA_TYPE']);
    const form = await rawRequest(
      `${server.url}/api/runs`,
      'POST',
      { 'content-type': 'application/x-www-form-urlencoded' },
      JSON.stringify({ scenario: 'ledger' }),
    );
    assert.is(form.status, 415);
    // curl -XPOST .../api/simcity/start -d '{"scenario":"baseline"}' sends form-urlencoded.
    const curlStyle = await rawRequest(
      `${server.url}/api/simcity/start`,
      'POST',
      { 'content-type': 'application/x-www-form-urlencoded' },
      JSON.stringify({ scenario: 'baseline', pace: 'turbo' }),
    );
    assert.is(curlStyle.status, 201, JSON.stringify(curlStyle.body));
  } finally {
    await server.close('test over');
  }
});

test('with a token, reads, streams and /metrics need it; a metrics token reads /metrics only', async () => {
  const token = 'a-long-enough-admin-token';
  const server = await start({ token, metricsToken: 'scrape-only-token-123', services: [{ pack: 'exec', port: 0 }] });
  try {
    // A pack service's /metrics (runbook 003's port) takes the same tokens.
    assert.is((await fetch(`${server.services.exec}/metrics`)).status, 401);
    const scraped = await fetch(`${server.services.exec}/metrics`, {
      headers: { Authorization: 'Bearer scrape-only-token-123' },
    });
    assert.is(scraped.status, 200);
    const run = await http(
      'POST',
      `${server.url}/api/runs`,
      { scenario: 'ledger', seed: 1, pace: 'turbo' },
      { Authorization: `Bearer ${token}` },
    );
    assert.is(run.status, 201);
    const id = run.body.runId;
    for (const p of [
      '/api/runs',
      `/api/runs/${id}`,
      `/api/runs/${id}/summary`,
      `/api/runs/${id}/stream`,
      `/api/runs/${id}/report`,
      '/api/packs',
      '/metrics',
      '/admin',
    ]) {
      const res = await fetch(`${server.url}${p}`);
      assert.is(res.status, 401, p);
      await res.body?.cancel();
    }
    assert.is(
      (await http('GET', `${server.url}/api/runs`, undefined, { Authorization: `BEARER ${token}` })).status,
      200,
    );
    assert.is(
      (await fetch(`${server.url}/metrics`, { headers: { Authorization: 'Bearer scrape-only-token-123' } })).status,
      200,
    );
    assert.is(
      (await http('GET', `${server.url}/api/runs`, undefined, { Authorization: 'Bearer scrape-only-token-123' }))
        .status,
      401,
      'the scrape token reads metrics only',
    );
    const report = await fetch(`${server.url}/api/runs/${id}/report?token=${token}`);
    assert.is(report.status, 200, 'pages a browser opens take ?token=');
    assert.is(
      (await http('GET', `${server.url}/api/runs?token=${token}`)).status,
      401,
      'API reads take the header, not the query',
    );
    const health = await fetch(`${server.url}/healthz`);
    assert.is(health.status, 200, 'liveness stays open');
    const body = await health.json();
    assert.is(body.store.ok, true);
    assert.is(body.store.path, undefined, 'where the store lives is not shown without the token');
  } finally {
    await server.close('test over');
  }
});

test('a short token cannot open a non-loopback bind; loopback is judged by address', async () => {
  const refused = await start({ host: '0.0.0.0', token: 'short' }).then(
    (s) => s.close('unexpected').then(() => 'started'),
    (err: Error) => err.message,
  );
  assert.match(refused, /shorter than 16 characters/);
  const fake = await start({ host: '127.evil.example' }).then(
    (s) => s.close('unexpected').then(() => 'started'),
    (err: Error) => err.message,
  );
  assert.match(fake, /refusing to listen on 127\.evil\.example without TICKWORK_ADMIN_TOKEN/);
});

test('prototype keys are unknown names (400/404 with the field), never a crash', async () => {
  const server = await start();
  try {
    const run = await http('POST', `${server.url}/api/runs`, { scenario: 'baseline', seed: 2, pace: 100 });
    const id = run.body.runId;
    for (const type of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const r = await http('POST', `${server.url}/api/runs/${id}/events`, { type, durationMin: 5 });
      assert.equal([r.status, r.body.error.code, r.body.error.path], [400, 'TW_ERR_VALIDATION', 'type'], type);
    }
    for (const scenario of ['constructor', '__proto__', 'toString']) {
      const r = await http('POST', `${server.url}/api/runs`, { scenario });
      assert.is(r.status, 404, scenario);
    }
    const proto = await http(
      'POST',
      `${server.url}/api/runs`,
      '{"scenario":"ledger","policies":{"__proto__":{"accounts":5}}}',
    );
    assert.equal([proto.status, proto.body.error.code], [400, 'TW_ERR_VALIDATION']);
    const packProto = await http('GET', `${server.url}/api/packs/__proto__`);
    assert.is(packProto.status, 404);
  } finally {
    await server.close('test over');
  }
  // Scenario files too: a usage error (exit 2) naming the field, not a crash.
  const dir = tempDir();
  for (const [name, content] of [
    ['pack.json', { name: 'x', pack: 'constructor', duration: { simMinutes: 1 } }],
    ['invariant.json', { name: 'x', pack: 'ledger', duration: { simMinutes: 1 }, invariants: ['toString'] }],
    [
      'event.json',
      {
        name: 'x',
        pack: 'simcity',
        duration: { simMinutes: 1 },
        events: [{ type: 'hasOwnProperty', triggerAt: 1, duration: 1 }],
      },
    ],
    ['proto.json', '{"name":"x","pack":"ledger","duration":{"simMinutes":1},"policies":{"__proto__":{"accounts":5}}}'],
  ] as const) {
    const file = path.join(dir, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    const r = cliSync(['run', file, '--pace', 'turbo', '--db', path.join(dir, 'x.db')]);
    assert.is(r.code, 2, `${name}: ${r.stderr}`);
    assert.match(r.stderr, /TW_ERR_SCENARIO_INVALID/);
  }
});

test('event streams: at most SERVER_LIMITS.maxStreamClients open at once (503 TW_ERR_CAPACITY past it); a closed stream frees its place', async () => {
  const { SERVER_LIMITS } = await import('../runtime/limits.js');
  const server = await start();
  const open: nodeHttp.ClientRequest[] = [];
  try {
    const run = await http('POST', `${server.url}/api/runs`, {
      scenario: 'ledger',
      seed: 1,
      pace: 1,
      durationMinutes: 600,
    });
    assert.is(run.status, 201, JSON.stringify(run.body));
    const streamUrl = `${server.url}/api/runs/${run.body.runId}/stream`;
    const connect = () =>
      new Promise<{ req: nodeHttp.ClientRequest; res: nodeHttp.IncomingMessage }>((resolve, reject) => {
        const req = nodeHttp.get(streamUrl, (res) => resolve({ req, res }));
        req.on('error', reject);
      });
    for (let i = 0; i < SERVER_LIMITS.maxStreamClients; i++) {
      const { req, res } = await connect();
      assert.is(res.statusCode, 200);
      open.push(req);
    }
    const refused = await http('GET', streamUrl);
    assert.is(refused.status, 503);
    assert.is(refused.body.error.code, 'TW_ERR_CAPACITY');
    assert.match(refused.body.error.message, /event streams are open/);
    open.pop()!.destroy();
    const again = await waitFor('a closed stream to free its place', async () => {
      const { req, res } = await connect();
      if (res.statusCode === 200) return req;
      res.resume();
      return undefined;
    });
    open.push(again);
  } finally {
    for (const req of open) req.destroy();
    await server.close('test');
  }
});

test('admission: a large inline run over HTTP runs on a worker (the server heap and event loop stay free); /healthz answers while two 2M-account runs spawn', async () => {
  const server = await start();
  try {
    const big = { scenario: 'ledger', seed: 1, pace: 'turbo', workers: 0, policies: { accounts: 2_000_000 } };
    const started = await Promise.all([
      http('POST', `${server.url}/api/runs`, big),
      http('POST', `${server.url}/api/runs`, big),
    ]);
    for (const r of started) {
      assert.is(r.status, 201, JSON.stringify(r.body));
      assert.is(server.runs.get(r.body.runId)!.run.options.workers, 1, 'moved off the main thread');
    }
    // Answered while both spawn two million actors each (inline, each start blocked the loop for seconds).
    const health = await http('GET', `${server.url}/healthz`);
    assert.is(health.status, 200);
    for (const r of started) {
      const stop = await http('POST', `${server.url}/api/runs/${r.body.runId}/stop`, {});
      assert.ok(stop.status < 300, JSON.stringify(stop.body));
    }
    const small = await http('POST', `${server.url}/api/runs`, { ...big, policies: { accounts: 100 } });
    assert.is(small.status, 201);
    assert.is(server.runs.get(small.body.runId)!.run.options.workers, 0, 'a small inline run stays inline');
  } finally {
    await server.close('test');
  }
});

test('limits: workers per run, active runs per server, actors per request, durations', async () => {
  const server = await start();
  try {
    const { SERVER_LIMITS } = await import('../runtime/limits.js');
    const tooManyThreads = await http('POST', `${server.url}/api/runs`, { scenario: 'ledger', workers: 60 });
    assert.equal([tooManyThreads.status, tooManyThreads.body.error.path], [400, 'workers']);
    const hugeLedger = await http('POST', `${server.url}/api/runs`, {
      scenario: 'ledger',
      policies: { accounts: 1e9 },
    });
    assert.equal([hugeLedger.status, hugeLedger.body.error.path], [400, 'policies.accounts']);
    const hugeCity = await http('POST', `${server.url}/api/runs`, {
      scenario: 'baseline',
      policies: { vendors: 10_000_000 },
    });
    assert.equal([hugeCity.status, hugeCity.body.error.path], [400, 'policies.vendors']);
    // Fill the server with slow, small runs (inline: no threads), then one more is refused with 503.
    for (let i = 0; i < SERVER_LIMITS.maxActiveRuns; i++) {
      const r = await http('POST', `${server.url}/api/runs`, {
        scenario: 'ledger',
        seed: i,
        pace: 1,
        workers: 0,
        policies: { accounts: 50 },
      });
      assert.is(r.status, 201, JSON.stringify(r.body));
    }
    const full = await http('POST', `${server.url}/api/runs`, {
      scenario: 'ledger',
      pace: 1,
      workers: 0,
      policies: { accounts: 50 },
    });
    assert.equal([full.status, full.body.error.code], [503, 'TW_ERR_CAPACITY']);
    const health = await http('GET', `${server.url}/healthz`);
    assert.is(health.body.capacity.acceptingRuns, false);
    assert.match(health.body.capacity.reason, /runs are active/);
  } finally {
    await server.close('test over');
  }
  const longRun = cliSync(['run', 'ledger', '--duration', '99999999999d', '--db', path.join(tempDir(), 'd.db')]);
  assert.is(longRun.code, 2);
  assert.match(longRun.stderr, /at most 3650d/);
  const bare = cliSync(['run', 'ledger', '--duration', '90', '--db', path.join(tempDir(), 'd.db')]);
  assert.is(bare.code, 2);
  assert.match(bare.stderr, /a unit is required/);
});

test.run();
