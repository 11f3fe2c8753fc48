// The control surface over real HTTP on loopback: `tickwork serve` as a child process, the
// runbook's curl commands as written, validation, auth, SSE, /metrics, /healthz, the actor
// inspector, steering that replays to the same digest, and the kill switch on SIGTERM.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  cliSync,
  hasPartitionCheckpoint,
  http,
  lastJsonLine,
  startServerProcess,
  tempDir,
  waitFor,
  type ServerProcess,
} from './helpers.js';

let server: ServerProcess;
let dbPath: string;

test.before(async () => {
  dbPath = path.join(tempDir(), 'server.db');
  server = await startServerProcess(['--db', dbPath, '--workers', '2']);
});

test.after(async () => {
  await server.stop();
});

/** The runbook's curl command, run as written against this server. */
function curl(...args: string[]): any {
  const out = execFileSync('curl', ['-s', ...args.map((a) => (a.startsWith('/') ? `${server.url}${a}` : a))], {
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

test('runbook 001 curl flow: start, policy, event, summary, stop', () => {
  const started = curl(
    '-X',
    'POST',
    '/api/simcity/start',
    '-H',
    'Content-Type: application/json',
    '-d',
    JSON.stringify({
      seed: 42,
      scenario: 'baseline',
      policies: { customerSpawnRate: 0.3, maxConcurrentAgents: 50 },
      durationMinutes: 15,
    }),
  );
  const runId = started.data.runId;
  assert.is(started.data.seed, 42);
  assert.is(started.data.status, 'running');
  // 15 real minutes at the baseline pace (100 sim ms per real ms) is 25 sim hours.
  assert.is(started.data.durationMs, 15 * 60_000 * 100);

  const policy = curl(
    '-X',
    'POST',
    '/api/simcity/policy',
    '-H',
    'Content-Type: application/json',
    '-d',
    '{"policies": {"customerSpawnRate": 0.8, "maxConcurrentAgents": 200}}',
  );
  assert.is(policy.data.runId, runId);
  const event = curl(
    '-X',
    'POST',
    '/api/simcity/event',
    '-H',
    'Content-Type: application/json',
    '-d',
    '{"type": "CACHE_INVALIDATION_STORM", "durationMin": 30, "parameters": {"invalidationRate": 0.8}}',
  );
  assert.is(event.data.accepted, 'CACHE_INVALIDATION_STORM');
  // The "quick control examples" send -d without a Content-Type header.
  const aggressive = curl(
    '-X',
    'POST',
    '/api/simcity/policy',
    '-d',
    '{"policies": {"rescheduleChance": 0.7, "cancelChance": 0.4}}',
  );
  assert.is(aggressive.data.runId, runId);
  const burst = curl(
    '-X',
    'POST',
    '/api/simcity/event',
    '-d',
    '{"type": "RATE_LIMIT_BURST", "durationMin": 15, "parameters": {"multiplier": 3.0}}',
  );
  assert.is(burst.data.accepted, 'RATE_LIMIT_BURST');

  const summary = curl('/api/simcity/summary?runId=latest');
  assert.is(summary.data.runId, runId);
  assert.ok(Array.isArray(summary.data.violations), '.data.violations | length works');
  assert.ok(summary.data.kpis.funnel, 'pack KPIs in the summary');

  const stopped = curl('-X', 'POST', '/api/simcity/stop');
  assert.is(stopped.data.stopped[0].runId, runId);
  assert.is(stopped.data.stopped[0].status, 'stopped');
  const after = curl('/api/simcity/summary');
  assert.is(after.data.status, 'stopped');
  assert.is(after.data.inputs, 5, 'every live input is in the log (4 steering inputs and the stop)');
});

test('steering over HTTP is recorded: replay of the stored run gives the same digest', async () => {
  const start = await http('POST', `${server.url}/api/runs`, { scenario: 'disaster_mix', seed: 9, pace: 3000 });
  assert.is(start.status, 201);
  const runId = start.body.runId;
  // Steered mid-run: after its first sim minutes, and stopped well after the steering landed.
  const simPast = (ms: number) => async () =>
    ((await http('GET', `${server.url}/api/runs/${runId}`)).body.simMs as number) > ms;
  await waitFor('the run past sim 5 min', simPast(5 * 60_000));
  assert.is(
    (await http('POST', `${server.url}/api/runs/${runId}/policy`, { policies: { customerSpawnRate: 2 } })).status,
    202,
  );
  assert.is(
    (
      await http('POST', `${server.url}/api/runs/${runId}/events`, {
        type: 'RLS_MISCONFIG',
        durationMin: 20,
        parameters: { misconfigType: 'admin_access' },
      })
    ).status,
    202,
  );
  await waitFor('the run past sim 40 min', simPast(40 * 60_000));
  const stop = await http('POST', `${server.url}/api/runs/${runId}/stop`, {});
  assert.is(stop.status, 200);
  assert.is(stop.body.status, 'stopped');
  const replay = cliSync(['replay', runId, '--db', dbPath, '--json']);
  assert.is(replay.code, 0, replay.stdout + replay.stderr);
  const r = lastJsonLine(replay.stdout);
  assert.ok(r.match, `replayed ${r.digest} vs recorded ${stop.body.digest}`);
  assert.is(r.digest, stop.body.digest);
});

test('bad input gets a 4xx with a stable code, message and field path; the server stays up', async () => {
  const u = server.url;
  const cases: [string, string, unknown, number, string, string?][] = [
    ['POST', '/api/simcity/start', { seed: 'forty-two' }, 400, 'TW_ERR_VALIDATION', 'seed'],
    [
      'POST',
      '/api/simcity/start',
      { scenario: 'baseline', policies: { customerSpawnRate: -1 } },
      400,
      'TW_ERR_VALIDATION',
      'policies.customerSpawnRate',
    ],
    ['POST', '/api/simcity/start', { scenario: 'atlantis' }, 404, 'TW_ERR_SCENARIO_NOT_FOUND', 'scenario'],
    ['POST', '/api/simcity/start', { scenario: 'ledger' }, 400, 'TW_ERR_VALIDATION', 'scenario'],
    ['POST', '/api/simcity/start', { scenario: 'baseline', extra: 1 }, 400, 'TW_ERR_VALIDATION'],
    ['POST', '/api/simcity/start', '{"seed": 42,', 400, 'TW_ERR_VALIDATION', 'body'],
    ['POST', '/api/simcity/start', JSON.stringify({ scenario: 'x'.repeat(70_000) }), 413, 'TW_ERR_PAYLOAD_TOO_LARGE'],
    ['POST', '/api/simcity/policy', { policies: { customerSpawnRate: 1 } }, 409, 'TW_ERR_RUN_STATE'],
    ['POST', '/api/simcity/event', { type: 'CACHE_INVALIDATION_STORM' }, 400, 'TW_ERR_VALIDATION', 'durationMin'],
    ['POST', '/api/runs/nope/stop', {}, 404, 'TW_ERR_RUN_NOT_FOUND', 'runId'],
    ['GET', '/api/runs/nope', undefined, 404, 'TW_ERR_RUN_NOT_FOUND', 'runId'],
    ['GET', '/api/simcity/summary?runId=nope', undefined, 404, 'TW_ERR_RUN_NOT_FOUND', 'runId'],
    ['GET', '/api/no/such/route', undefined, 404, 'TW_ERR_NOT_FOUND'],
  ];
  for (const [method, route, body, status, code, fieldPath] of cases) {
    const r = await http(method, `${u}${route}`, body);
    assert.is(r.status, status, `${method} ${route}: ${JSON.stringify(r.body)}`);
    assert.is(r.body.error.code, code, route);
    assert.type(r.body.error.message, 'string');
    if (fieldPath) assert.is(r.body.error.path, fieldPath, `${route}: ${r.body.error.message}`);
  }
  // Live steering is checked against the pack's contract too, and stopping twice conflicts.
  const start = await http('POST', `${u}/api/runs`, { scenario: 'baseline', seed: 1, pace: 1000 });
  const id = start.body.runId;
  const badEvent = await http('POST', `${u}/api/runs/${id}/events`, { type: 'METEOR', durationMin: 5 });
  assert.equal([badEvent.status, badEvent.body.error.path], [400, 'type']);
  const badParam = await http('POST', `${u}/api/runs/${id}/events`, {
    type: 'RATE_LIMIT_BURST',
    durationMin: 5,
    parameters: { multiplier: 0 },
  });
  assert.equal([badParam.status, badParam.body.error.path], [400, 'parameters.multiplier']);
  assert.is((await http('POST', `${u}/api/runs/${id}/stop`, {})).status, 200);
  const again = await http('POST', `${u}/api/runs/${id}/stop`, {});
  assert.equal([again.status, again.body.error.code], [409, 'TW_ERR_RUN_STATE']);
  assert.is((await http('GET', `${u}/healthz`)).status, 200);
});

test('SSE stream: hello, ticks, intervals, inputs, lifecycle and the final summary', async () => {
  const start = await http('POST', `${server.url}/api/runs`, { scenario: 'baseline', seed: 3, pace: 6000 });
  const runId = start.body.runId;
  const res = await fetch(`${server.url}/api/runs/${runId}/stream`);
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  const events: { event: string; data: any }[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let policySent = false;
  let stopSent = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
    }
    const intervals = events.filter((e) => e.event === 'interval').length;
    if (intervals >= 3 && !policySent) {
      policySent = true;
      await http('POST', `${server.url}/api/runs/${runId}/policy`, { policies: { customerSpawnRate: 1 } });
    }
    // Stopped once the stream has shown the policy input applied.
    if (policySent && !stopSent && events.some((e) => e.event === 'input')) {
      stopSent = true;
      void http('POST', `${server.url}/api/runs/${runId}/stop`, {});
    }
  }
  const kinds = new Set(events.map((e) => e.event));
  for (const k of ['hello', 'tick', 'interval', 'input', 'run', 'end'])
    assert.ok(kinds.has(k), `saw ${k}: ${[...kinds].join(', ')}`);
  const hello = events[0];
  assert.is(hello.event, 'hello');
  assert.ok(
    hello.data.invariants.some(
      (i: { id: string; threshold: number }) => i.id === 'api_p95_response_time' && i.threshold === 500,
    ),
  );
  const interval = events.filter((e) => e.event === 'interval').pop()!.data;
  assert.type(interval.counters, 'object');
  assert.ok(interval.simMs > 0, 'intervals advance in sim time');
  const end = events[events.length - 1];
  assert.is(end.event, 'end');
  assert.is(end.data.status, 'stopped');
});

test('/metrics, /healthz and the live actor inspector', async () => {
  const start = await http('POST', `${server.url}/api/runs`, { scenario: 'baseline', seed: 5, pace: 2000, workers: 2 });
  const runId = start.body.runId;
  const scrape = async () => (await fetch(`${server.url}/metrics`)).text();
  let metrics = await scrape();
  // Wait for this run to have ticked (its partitions are loaded) and for booking-API calls to be
  // counted (conditions, not a sleep). The pack's families sum over every SimCity run this server
  // hosts, so the second alone could be an earlier test's run.
  const ticked = new RegExp(`tickwork_run_sim_seconds\\{run_id="${runId}",scenario="baseline"\\} [1-9]`);
  while (!ticked.test(metrics) || !/^simcity_api_requests_total [1-9]/m.test(metrics)) metrics = await scrape();
  assert.match(metrics, /tickwork_api_latency_ms\{run_id="[^"]+",scenario="baseline",quantile="0.95"\} \d+/);
  assert.match(metrics, /tickwork_api_requests_total\{/);
  assert.match(
    metrics,
    /tickwork_invariant_threshold\{[^}]*invariant="api_p95_response_time",severity="critical"\} 500/,
  );
  assert.match(metrics, /# TYPE tickwork_process_cpu_seconds_total counter/);
  // The pack's own families: a real histogram in seconds, counters labelled by cause from zero.
  assert.match(metrics, /# TYPE simcity_api_request_duration_seconds histogram/);
  assert.match(metrics, /simcity_api_request_duration_seconds_bucket\{endpoint="search",le="0.5"\} \d+/);
  assert.match(metrics, /simcity_api_errors_total\{cause="rls_denied"\} \d+/);

  const health = await http('GET', `${server.url}/healthz`);
  assert.is(health.status, 200);
  assert.is(health.body.status, 'ok');
  assert.ok(health.body.runs.byStatus.running >= 1);
  assert.ok(health.body.pool.workerThreadsInUse >= 2);
  assert.type(health.body.pool.workerThreadsWarmIdle, 'number');
  assert.is(health.body.store.ok, true);
  assert.type(health.body.version, 'string');
  assert.ok(health.body.uptimeS > 0);

  // Actor 0 is partition 0's booking-API node; 16 + 0 is its spawner (worker 0 hosts both).
  const api = await http('GET', `${server.url}/api/runs/${runId}/actors/0`);
  assert.is(api.status, 200, JSON.stringify(api.body));
  assert.is(api.body.actor.kind, 'api-node');
  assert.type(api.body.actor.state.cache.fill, 'number');
  const spawner = await http('GET', `${server.url}/api/runs/${runId}/actors/17`);
  assert.is(spawner.body.actor.kind, 'spawner', 'an actor of the other worker');
  const missing = await http('GET', `${server.url}/api/runs/${runId}/actors/99999999`);
  assert.is(missing.status, 404);
  const bad = await http('GET', `${server.url}/api/runs/${runId}/actors/-3`);
  assert.equal([bad.status, bad.body.error.path], [400, 'actorId']);
  await http('POST', `${server.url}/api/runs/${runId}/stop`, {});
});

test('auth: with TICKWORK_ADMIN_TOKEN, every route but /healthz needs the bearer token', async () => {
  const token = 'correct-horse-battery';
  const s = await startServerProcess(['--db', path.join(tempDir(), 'auth.db')], { TICKWORK_ADMIN_TOKEN: token });
  try {
    const body = { scenario: 'baseline', seed: 1, pace: 1000 };
    const none = await http('POST', `${s.url}/api/simcity/start`, body);
    assert.equal([none.status, none.body.error.code], [401, 'TW_ERR_UNAUTHORIZED']);
    const wrong = await http('POST', `${s.url}/api/simcity/start`, body, { Authorization: 'Bearer nope' });
    assert.is(wrong.status, 401);
    const ok = await http('POST', `${s.url}/api/simcity/start`, body, { Authorization: `Bearer ${token}` });
    assert.is(ok.status, 201);
    assert.is((await fetch(`${s.url}/admin/simcity`)).status, 401);
    assert.is((await fetch(`${s.url}/admin/simcity`, { headers: { Authorization: `Bearer ${token}` } })).status, 200);
    assert.is((await fetch(`${s.url}/admin/simcity?token=${token}`)).status, 200);
    assert.is((await http('GET', `${s.url}/healthz`)).status, 200, 'health stays open');
    assert.is((await http('GET', `${s.url}/api/simcity/summary`)).status, 401, 'reads need the token too');
    assert.is(
      (await http('GET', `${s.url}/api/simcity/summary`, undefined, { Authorization: `bearer ${token}` })).status,
      200,
      'scheme is case-insensitive',
    );
  } finally {
    await s.stop();
  }
});

test('binding beyond loopback without a token refuses to start and says why', () => {
  const r = cliSync(['serve', '--host', '0.0.0.0', '--port', '0', '--db', path.join(tempDir(), 'x.db')], {
    TICKWORK_ADMIN_TOKEN: '',
  });
  assert.is(r.code, 2);
  assert.match(r.stderr, /refusing to listen on 0\.0\.0\.0 without TICKWORK_ADMIN_TOKEN/);
});

test('SIGTERM interrupts every run (checkpointed, resumable) and exits 0; a new server resumes it over HTTP to the same digest', async () => {
  const db = path.join(tempDir(), 'term.db');
  const s = await startServerProcess(['--db', db, '--workers', '1']);
  const runId: string = (await http('POST', `${s.url}/api/runs`, { scenario: 'baseline', seed: 4, pace: 3000 })).body
    .runId;
  await waitFor('the first periodic checkpoint', () => hasPartitionCheckpoint(db, runId));
  const started = Date.now();
  const code = await s.stop();
  assert.is(code, 0);
  assert.ok(Date.now() - started < 5000, 'exits within 5 s');
  // The console says when a run starts and how it ended.
  assert.match(s.output(), new RegExp(`run started  baseline  runId=${runId}`));
  assert.match(s.output(), new RegExp(`run ended    baseline  runId=${runId}  interrupted  resumable`));
  const row = new Database(db, { readonly: true })
    .prepare('SELECT status, sim_ms FROM runs WHERE id = ?')
    .get(runId) as { status: string; sim_ms: number };
  assert.is(row.status, 'interrupted');

  const again = await startServerProcess(['--db', db, '--workers', '1']);
  try {
    const resumed = await http('POST', `${again.url}/api/runs/${runId.slice(0, 8)}/resume`, {});
    assert.is(resumed.status, 202, JSON.stringify(resumed.body));
    assert.is(resumed.body.runId, runId);
    const twice = await http('POST', `${again.url}/api/runs/${runId}/resume`, {});
    assert.equal([twice.status, twice.body.error.code], [409, 'TW_ERR_RUN_STATE']);
    // Finish it fast: the same run in turbo from here would take minutes paced, so stop and compare
    // the replay of the whole recorded run instead (same seed and input log, same digest).
    const stopped = await http('POST', `${again.url}/api/runs/${runId}/stop`, {});
    assert.is(stopped.status, 200, JSON.stringify(stopped.body));
  } finally {
    await again.stop();
  }
  const replay = cliSync(['replay', runId, '--db', db, '--json']);
  assert.is(lastJsonLine(replay.stdout).match, true, replay.stdout + replay.stderr);
});

test('a run stopped before its end reads INCOMPLETE, with what was judged so far, not PASSED or FAILED', async () => {
  // Paced so the stop lands mid-run: 6 sim hours at 60x take 6 wall minutes.
  const start = await http('POST', `${server.url}/api/runs`, { scenario: 'ledger', seed: 4, pace: 60 });
  assert.is(start.status, 201);
  const runId = start.body.runId;
  await waitFor('some sim time', async () => (await http('GET', `${server.url}/api/runs/${runId}`)).body.simMs > 0);
  assert.is((await http('POST', `${server.url}/api/runs/${runId}/stop`, {})).status, 200);
  const ended = await http('GET', `${server.url}/api/runs/${runId}/wait?timeoutS=30`);
  assert.is(ended.body.data.status, 'stopped');
  const listed = (await http('GET', `${server.url}/api/runs`)).body.runs.find(
    (r: { runId: string }) => r.runId === runId,
  );
  assert.is(listed.verdict, 'incomplete');
  const shown = cliSync(['show', runId, '--db', dbPath]);
  assert.match(shown.stdout, new RegExp(`run ${runId} .* stopped {2}INCOMPLETE`));
  assert.match(shown.stdout, /stopped at sim \S+ of 6h: gates judged so far \d+ pass, 0 fail, \d+ not evaluated/);
});

test.run();
