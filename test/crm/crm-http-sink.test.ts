// The bundled HubSpot-like CRM over real HTTP (its limits, headers, error shapes, deduplication),
// and the HTTP sink against it: every fault on, the simulation's server SIGKILLed halfway and its
// run resumed, the DLQ replayed, and in the end the mock holds exactly what the ledger says was
// created, with no duplicate.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { startMockCrm, type MockCrm } from '../../actors/crm/io/mock-server.js';
import { NO_FAULTS } from '../../actors/crm/domain/crm-account.js';
import { cliSync, http, lastJsonLine, startServerProcess, tempDir, waitFor } from '../helpers.js';

const TOKEN = 'pat-test-token';
const batch = (mock: MockCrm, type: string, inputs: unknown[], token = TOKEN) =>
  fetch(`${mock.url}/crm/v3/objects/${type}/batch/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ inputs }),
  });
const contact = (n: number, trace = `t-${n}`) => ({
  properties: { email: `c${n}@example.com` },
  objectWriteTraceId: trace,
});

test('the mock answers as HubSpot does: limits with headers and policyName, 207, 401/403/400 categories, one object per trace id', async () => {
  const mock = await startMockCrm({
    account: { tier: 'starter', dailyLimit: 150, faults: NO_FAULTS, scopes: ['contacts', 'notes'] },
    token: TOKEN,
    seed: 1,
    holdMs: 1000,
    bodyLimit: '1mb',
  });
  try {
    const first = await batch(mock, 'contacts', [contact(1)]);
    assert.is(first.status, 201);
    assert.is(first.headers.get('x-hubspot-ratelimit-max'), '100');
    assert.is(first.headers.get('x-hubspot-ratelimit-remaining'), '99');
    assert.is(first.headers.get('x-hubspot-ratelimit-interval-milliseconds'), '10000');
    assert.is(first.headers.get('x-hubspot-ratelimit-daily'), '150');
    assert.is(first.headers.get('x-hubspot-ratelimit-daily-remaining'), '149');
    const id = (await first.json()).results[0].id;
    // The same trace id again: the same object, not a second one.
    const again = await (await batch(mock, 'contacts', [contact(1)])).json();
    assert.is(again.results[0].id, id);
    assert.is(mock.state().created.contacts, 1);
    const partial = await batch(mock, 'notes', [
      { properties: { hs_note_body: 'ok' }, associations: [{ to: { id }, types: [] }], objectWriteTraceId: 'n-1' },
      {
        properties: { hs_note_body: 'orphan' },
        associations: [{ to: { id: '999' }, types: [] }],
        objectWriteTraceId: 'n-2',
      },
    ]);
    assert.is(partial.status, 207);
    const p = await partial.json();
    assert.is(p.numErrors, 1);
    assert.equal(p.errors[0].context.objectWriteTraceId, ['n-2']);
    const wrong = await batch(mock, 'contacts', [contact(2)], 'nope');
    assert.is(wrong.status, 401);
    assert.is((await wrong.json()).category, 'INVALID_AUTHENTICATION');
    const scope = await batch(mock, 'tickets', [
      { properties: { subject: 'x' }, associations: [{ to: { id }, types: [] }] },
    ]);
    assert.is(scope.status, 403);
    assert.is((await scope.json()).category, 'MISSING_SCOPES');
    const tooMany = await batch(
      mock,
      'contacts',
      Array.from({ length: 101 }, (_, n) => contact(n + 10)),
    );
    assert.is(tooMany.status, 400);
    assert.is((await tooMany.json()).category, 'VALIDATION_ERROR');
    // Past 100 requests in 10 s: 429 TEN_SECONDLY_ROLLING, and nothing past it is counted.
    let limited: Response | undefined;
    for (let n = 0; n < 120 && !limited; n++) {
      const r = await batch(mock, 'contacts', [contact(1000 + n)]);
      if (r.status === 429) limited = r;
    }
    assert.ok(limited, 'the window filled');
    assert.is(limited!.headers.get('x-hubspot-ratelimit-remaining'), '0');
    assert.is((await limited!.json()).policyName, 'TEN_SECONDLY_ROLLING');
  } finally {
    await mock.close();
  }
  // The daily limit, on a fresh account.
  const daily = await startMockCrm({
    account: { tier: 'enterprise', dailyLimit: 2, faults: NO_FAULTS },
    token: TOKEN,
    seed: 1,
    holdMs: 1000,
    bodyLimit: '1mb',
  });
  try {
    assert.is((await batch(daily, 'contacts', [contact(1)])).status, 201);
    assert.is((await batch(daily, 'contacts', [contact(2)])).status, 201);
    const over = await batch(daily, 'contacts', [contact(3)]);
    assert.is(over.status, 429);
    assert.is((await over.json()).policyName, 'DAILY');
    assert.is(over.headers.get('x-hubspot-ratelimit-daily-remaining'), '0');
  } finally {
    await daily.close();
  }
});

test("nothing lost over HTTP: every fault on, the server SIGKILLed halfway and resumed, the DLQ replayed; the mock holds exactly the ledger's creates", async () => {
  const faults = { serverError: 0.05, timeout: 0.03, reset: 0.03, expiredToken: 0.03, throttle500: 0.03 };
  const mock = await startMockCrm({
    account: { tier: 'professional', faults },
    token: TOKEN,
    seed: 3,
    holdMs: 8000,
    bodyLimit: '1mb',
  });
  const db = path.join(tempDir(), 'crm-http.db');
  // One attempt for activities (the legacy-only variable): a fault sends them straight to the DLQ, so the replay has
  // work.
  const env = {
    CRM_BASE_URL: mock.url,
    HUBSPOT_API_TOKEN: TOKEN,
    DLQ_REPLAY_LIMIT_CAP: '100',
    ATTEMPTS_SECONDARY: '1',
  };
  const boss = lastJsonLine(cliSync(['crm', 'user', 'add', 'ops-lead', '--role', 'boss', '--db', db, '--json']).stdout)
    .token as string;
  let server = await startServerProcess(['--db', db], env);
  let generatingRun = '';
  try {
    const created = await http(
      'POST',
      `${server.url}/api/simulations`,
      {
        start_time: '2026-01-05T09:00:00Z',
        end_time: '2026-01-05T09:00:30Z',
        scenario: 'smoke',
        total_records: 100,
        sink: 'http',
        seed: 12,
      },
      { 'X-User-Token': boss },
    );
    assert.is(created.status, 201, JSON.stringify(created.body));
    const id = created.body.data.id;
    assert.is(
      (await http('POST', `${server.url}/api/simulations/${id}/start`, {}, { 'X-User-Token': boss })).status,
      202,
    );
    const metrics = (s: typeof server) =>
      http('GET', `${s.url}/api/simulations/${id}/metrics`).then((r) => r.body.data);
    await waitFor('half the records created', async () => (await metrics(server)).primary.created >= 40, 60_000);
    server.proc.kill('SIGKILL');
    await new Promise((resolve) => server.proc.once('exit', resolve));

    server = await startServerProcess(['--db', db], env);
    const killed = await metrics(server);
    assert.is(killed.status, 'interrupted', 'the next process to open the store marks it');
    assert.ok(
      killed.primary.created > 0 && killed.primary.created < 100,
      `its counts as last flushed: ${killed.primary.created}`,
    );
    const resumed = await http('POST', `${server.url}/api/simulations/${id}/start`, {}, { 'X-User-Token': boss });
    assert.is(resumed.status, 202, JSON.stringify(resumed.body));
    assert.is(resumed.body.data.resumed, true);
    let m = await waitFor(
      'the simulation settled',
      async () => {
        const d = await metrics(server);
        return d.settled && d;
      },
      120_000,
    );
    assert.is(m.balanced, true, JSON.stringify(m.ledger));
    assert.is(m.primary.records, 100);

    // Replay everything left in the DLQ but the invalid emails, until nothing retryable is left.
    let rounds = 0;
    for (let round = 0; round < 4; round++, rounds++) {
      const waiting = Object.entries(m.dlqByCategory as Record<string, number>).filter(
        ([c, n]) => c !== 'validation' && n > 0,
      );
      if (waiting.length === 0) break;
      const replay = await http(
        'POST',
        `${server.url}/api/simulations/${id}/dlq/replay`,
        { dryRun: false, categories: waiting.map(([c]) => c), limit: 100, useFullRetry: true },
        { 'X-User-Token': boss },
      );
      assert.is(replay.status, 202, JSON.stringify(replay.body));
      m = await waitFor(
        'the replay settled',
        async () => {
          const d = await metrics(server);
          return d.settled && d.runs.length === round + 2 && d;
        },
        120_000,
      );
      assert.is(m.balanced, true);
    }
    assert.ok(rounds >= 1, 'the DLQ had retryable entries to replay');
    assert.is(m.ledger.generated, m.ledger.created + m.ledger.dlq + m.ledger.skipped);
    // The mock's own records: one object per created job, whatever was retried, lost or replayed.
    const held = mock.state();
    const byType = m.secondary.created as Record<string, number>;
    assert.is(held.created.contacts, m.primary.created, 'contacts');
    assert.is(held.created.notes, byType.note, 'notes');
    assert.is(held.created.calls, byType.call, 'calls');
    assert.is(held.created.tasks, byType.task, 'tasks');
    assert.is(held.created.tickets, byType.ticket, 'tickets');
    assert.is(
      Object.keys(held.traces).length,
      m.ledger.created,
      'one object per trace id, one trace id per created job',
    );
    generatingRun = m.runs[0].runId;
  } finally {
    await server.stop();
    await mock.close();
  }
  // Offline, the CRM gone: the generating run (killed and resumed) replays from its input log to its digest.
  const replayed = cliSync(['replay', generatingRun, '--db', db, '--json']);
  assert.is(replayed.code, 0, replayed.stderr);
  assert.is(lastJsonLine(replayed.stdout).match, true);
});

test.run();
