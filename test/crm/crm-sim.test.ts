// SimCRM's simulation (runbook 002) against the in-process CRM: segments expanded once each (a
// crash included), distributions, budgets, idempotency, limits, cooldown, breaker, thinning,
// the retry variables, DLQ categories and the no-loss ledger.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { once } from 'node:events';
import path from 'node:path';
import { businessHourWeight, segmentCounts } from '../../actors/crm/sim/distribution.js';
import { retryFromEnv } from '../../actors/crm/config/retry-env.js';
import { classifyAnswer } from '../../actors/crm/sim/outcome.js';
import {
  breakerFailure,
  breakerReadyAt,
  breakerSent,
  breakerSuccess,
  newBreaker,
} from '../../actors/crm/sim/circuit-breaker.js';
import {
  newLimiter,
  nextSendAt,
  recordSend,
  startCooldown,
  tuneFromHeaders,
} from '../../actors/crm/sim/rate-limiter.js';
import { Store } from '../../runtime/store/store.js';
import {
  cliSpawn,
  cliSync,
  hasPartitionCheckpoint,
  lastJsonLine,
  runIdOf,
  runIt,
  scenario,
  tempDir,
  waitFor,
} from '../helpers.js';

function crm(policies: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return scenario({
    pack: 'crm',
    tickMs: 50,
    partitions: 2,
    duration: { simHours: 4 },
    metricsIntervalMin: 10,
    policies: { windowHours: 1, distribution: 'uniform', ...policies },
    ...extra,
  });
}

function balanced(counters: Record<string, number>): { generated: number; settled: number } {
  const c = (k: string) => counters[k] ?? 0;
  return {
    generated: c('crm.generated'),
    settled: c('crm.created') + c('crm.dlq') - c('crm.replayed') + c('crm.skipped'),
  };
}

test('distributions: counts add up to total_records; business hours follow the working week; front-loaded falls', () => {
  const monday = Date.parse('2026-01-05T00:00:00Z');
  for (const method of ['uniform', 'front_loaded', 'business_hours'] as const) {
    const counts = segmentCounts(1001, 7 * 86_400_000, method, monday);
    assert.is(counts.length, 168);
    assert.is(
      counts.reduce((a, b) => a + b, 0),
      1001,
      method,
    );
  }
  const week = segmentCounts(100_000, 7 * 86_400_000, 'business_hours', monday);
  assert.ok(week[10] > week[3] * 10, 'Monday 10:00 is far busier than 03:00');
  assert.ok(week[10] > week[5 * 24 + 10] * 5, 'Monday 10:00 is far busier than Saturday 10:00');
  assert.is(businessHourWeight(monday + 10 * 3_600_000), 1.3);
  const falling = segmentCounts(10_000, 10 * 3_600_000, 'front_loaded', monday);
  assert.ok(
    falling.every((n, i) => i === 0 || n <= falling[i - 1]),
    `front-loaded: ${falling}`,
  );
  const flat = segmentCounts(1000, 10 * 3_600_000, 'uniform', monday);
  assert.equal(flat, Array(10).fill(100));
  // A partial last hour gets its share.
  assert.equal(segmentCounts(300, 2.5 * 3_600_000, 'uniform', monday), [120, 120, 60]);
});

test("segments: 0 at the start, N+1 once when N's last record has arrived, before its own hour begins; the ledger balances", async () => {
  const { summary, events } = await runIt(crm({ windowHours: 5, totalRecords: 500 }, { duration: { simHours: 8 } }), {
    seed: 3,
    workers: 2,
  });
  const segments = events
    .filter((e) => e.type === 'crm.segment')
    .map((e) => e.data as { index: number; count: number; firstRecord: number; startMs: number; expandedAtMs: number });
  assert.equal(
    segments.map((s) => s.index),
    [0, 1, 2, 3, 4],
  );
  assert.is(segments[0].expandedAtMs, 0);
  for (const s of segments.slice(1))
    assert.ok(
      s.expandedAtMs <= s.startMs && s.expandedAtMs > s.startMs - 3_600_000,
      `segment ${s.index} expanded at ${s.expandedAtMs}`,
    );
  assert.is(
    segments.reduce((n, s) => n + s.count, 0),
    500,
  );
  assert.is(summary.counters['crm.segments_expanded'], 5);
  const { generated, settled } = balanced(summary.counters);
  assert.is(settled, generated);
  assert.equal(summary.kpis!.ledger, {
    generated,
    created: summary.counters['crm.created'],
    dlq: summary.counters['crm.dlq'] ?? 0,
    skipped: summary.counters['crm.skipped'] ?? 0,
  });
  assert.is(summary.kpis!.balanced, true);
});

test('a run SIGKILLed between segments resumes: every segment expanded exactly once, same digest as an uninterrupted run', async () => {
  const db = path.join(tempDir(), 'crm-kill.db');
  const args = [
    'run',
    'crm',
    '--seed',
    '5',
    '--workers',
    '1',
    '--policy',
    'totalRecords=800',
    '--policy',
    'windowHours=12',
    '--duration',
    '14h',
    '--db',
    db,
  ];
  const reference = cliSync([...args, '--json']);
  assert.is(reference.code, 0, reference.stderr);
  const expected = lastJsonLine(reference.stdout);
  const child = cliSpawn([...args, '--pace', '20000', '--json']);
  const runId = await runIdOf(child);
  await waitFor('a checkpoint mid-run', () => hasPartitionCheckpoint(db, runId));
  child.kill('SIGKILL');
  await once(child, 'exit');
  const store = new Store(db);
  assert.is(store.getRun(runId)?.status, 'interrupted');
  store.close();
  const resumed = cliSync(['resume', runId, '--db', db, '--json']);
  assert.is(resumed.code, 0, resumed.stderr);
  const summary = lastJsonLine(resumed.stdout);
  assert.is(summary.status, 'completed');
  assert.is(summary.digest, expected.digest);
  assert.is(summary.counters['crm.segments_expanded'], 12);
  assert.equal(summary.kpis.ledger, expected.kpis.ledger);
  assert.is(summary.kpis.balanced, true);
});

test("budgets: past a type's budget its activities are skipped and recorded; caps bound each record", async () => {
  const secondary = {
    note: { probability: 1, maxPerRecord: 3, budget: 40 },
    call: { probability: 1, maxPerRecord: 1, budget: 1000 },
    task: { probability: 0, maxPerRecord: 1, budget: 1000 },
    ticket: { probability: 1, maxPerRecord: 2, budget: 0 },
  };
  const { summary } = await runIt(
    crm({ totalRecords: 50, secondary, invalidShare: 0, secondaryDelayMs: [1000, 5000] }),
    { seed: 2 },
  );
  const c = summary.counters;
  assert.is(c['crm.scheduled.note'], 150, 'three notes a record, the cap');
  assert.is(c['crm.created.note'], 40, 'the note budget');
  assert.is(c['crm.created.call'], 50);
  assert.is(c['crm.created.task'], undefined);
  assert.is(c['crm.created.ticket'], undefined, 'a zero budget creates none');
  assert.is(c['crm.skipped.budget'], 110 + 100);
  const { generated, settled } = balanced(c);
  assert.is(settled, generated);
});

test("a record's activities depend on its key alone: another total or distribution leaves record 7 the same", async () => {
  const { planRecord } = await import('../../actors/crm/sim/record-plan.js');
  const { CRM_POLICY_DEFAULTS } = await import('../../actors/crm/sim/policies.js');
  const plan = (sim: string, index: number) =>
    planRecord(9, sim, index, CRM_POLICY_DEFAULTS.secondary, [1000, 9000], 0.1);
  assert.equal(plan('sim-1', 7), plan('sim-1', 7));
  assert.is.not(JSON.stringify(plan('sim-1', 7)), JSON.stringify(plan('sim-2', 7)));
  // Two runs of different sizes: the shared records made the same activities.
  const small = await runIt(crm({ simulation: 's', totalRecords: 40, invalidShare: 0 }), { seed: 9 });
  const large = await runIt(crm({ simulation: 's', totalRecords: 40, invalidShare: 0, distribution: 'front_loaded' }), {
    seed: 9,
  });
  for (const t of ['note', 'call', 'task', 'ticket'])
    assert.is(small.summary.counters[`crm.scheduled.${t}`], large.summary.counters[`crm.scheduled.${t}`], t);
});

test('idempotency: lost answers and retries never create twice; after a replay the CRM holds exactly what the ledger says was created', async () => {
  const faults = { timeout: 0.1, reset: 0.1, serverError: 0.05 };
  let replayed = false;
  // A run ends once idle: a one-minute outage late in the timeline keeps this one open, and its end
  // (a tick at 2 h 31 min, when all else has settled) is when the replay goes in.
  const keepOpen = { events: [{ type: 'CRM_OUTAGE', triggerAt: 150, duration: 1 }] };
  const sc = crm({ totalRecords: 300, faults, invalidShare: 0, secondaryDelayMs: [1000, 600_000] }, keepOpen);
  const { summary, run, events } = await runIt(sc, { seed: 6, workers: 0 }, {}, (r) => {
    // Once everything has settled and the outage is over, the CRM is healthy and the DLQ is replayed in full.
    r.bus.on('tick', (e) => {
      if (!replayed && e.simMs >= 151 * 60_000) {
        replayed = true;
        r.submit({ kind: 'policy', policies: { faults: { timeout: 0, reset: 0, serverError: 0 } } });
        r.submit({ kind: 'message', to: 0, body: { kind: 'dlq-replay', limit: 1000, useFullRetry: true } });
      }
    });
  });
  assert.ok(replayed);
  const c = summary.counters;
  assert.ok((c['crm.retries'] ?? 0) > 20, 'faults caused retries');
  assert.ok((c['crm.replayed'] ?? 0) > 0, 'some jobs ran out of attempts and were replayed');
  assert.ok(events.some((e) => e.type === 'crm.replay'));
  const model = (await run.inspectActor(1)) as {
    state: { account: { created: Record<string, number>; deduplicated: number } };
  };
  const account = model.state.account;
  assert.ok(account.deduplicated > 0, 'retries of writes that were applied came back as the same object');
  // Every object the CRM made is one the simulation counted as created, once.
  assert.is(account.created.contacts, c['crm.created.contact']);
  for (const [type, objects] of [
    ['note', 'notes'],
    ['call', 'calls'],
    ['task', 'tasks'],
    ['ticket', 'tickets'],
  ]) {
    assert.is(account.created[objects], c[`crm.created.${type}`] ?? 0, type);
  }
  // Nothing left in the DLQ; what was not created was thinned while the breaker was open.
  assert.equal(summary.kpis!.ledger, {
    generated: c['crm.generated'],
    created: c['crm.created'],
    dlq: 0,
    skipped: c['crm.skipped.thinning'] ?? 0,
  });
});

test('rolling window and daily limits: the limiter keeps under the tier and the day, learning both from headers', async () => {
  // Sending whenever allowed: 100 per 10 s less 4 of headroom, spread (a burst of 10, then one
  // every 10000/96 ms), never more than 96 in any 10 s.
  const l = newLimiter(100, 100_000);
  const sends: number[] = [];
  for (let t = 0; t < 60_000; ) {
    const at = nextSendAt(l, t, 4);
    if (at > t) {
      t = at;
      continue;
    }
    recordSend(l, t);
    sends.push(t);
  }
  assert.equal(sends.slice(0, 10), Array(10).fill(0), 'a burst of a tenth of the window');
  assert.ok(
    sends[10] > 0 && sends[11] - sends[10] >= 104 && sends[11] - sends[10] <= 105,
    `then spread: ${sends.slice(9, 13)}`,
  );
  const most = Math.max(...sends.map((t) => sends.filter((u) => u >= t && u < t + 10_000).length));
  assert.is(most, 96, 'at most the window less its headroom in any 10 s');
  assert.ok(sends.length >= 570, `close to the rate over a minute: ${sends.length}`);
  tuneFromHeaders(l, {
    'x-hubspot-ratelimit-max': '190',
    'x-hubspot-ratelimit-daily': '500',
    'x-hubspot-ratelimit-daily-remaining': '0',
  });
  assert.is(l.windowMax, 190);
  assert.is(nextSendAt(l, 70_000, 4), 86_400_000, 'the day is spent: nothing until the next');
  startCooldown(l, 90_000_000, 15_000);
  assert.is(nextSendAt(l, 90_000_000, 4), 90_015_000, 'a 429 holds everything for the cooldown');

  // Against the Starter tier (100 per 10 s) with a flood of single-record writes: never a 429.
  const flood = await runIt(
    crm({
      totalRecords: 6000,
      windowHours: 0.25,
      batchSize: 1,
      tier: 'starter',
      secondary: {
        note: { probability: 0, maxPerRecord: 0, budget: 0 },
        call: { probability: 0, maxPerRecord: 0, budget: 0 },
        task: { probability: 0, maxPerRecord: 0, budget: 0 },
        ticket: { probability: 0, maxPerRecord: 0, budget: 0 },
      },
    }),
    { seed: 1 },
  );
  assert.is(flood.summary.counters['crm.responses.429'], undefined);
  assert.ok(flood.summary.counters['crm.requests'] > 3000, 'it sent at the limit for a while');
  const daily = await runIt(
    crm({ totalRecords: 300, dailyLimit: 50, invalidShare: 0 }, { duration: { simHours: 30 } }),
    { seed: 1 },
  );
  assert.is(daily.summary.counters['crm.responses.429'], undefined, 'the daily budget was kept, not hit');
  assert.ok(
    daily.summary.counters['crm.requests'] > 50 && daily.summary.counters['crm.requests'] <= 100,
    'fifty the first day, the rest the next',
  );
});

test("cooldown: HubSpot's throttling 500s start a cooldown and end as rate_limit when attempts run out", async () => {
  const { summary } = await runIt(crm({ totalRecords: 200, faults: { throttle500: 0.3 }, invalidShare: 0 }), {
    seed: 8,
  });
  const c = summary.counters;
  assert.ok(c['crm.throttled'] > 10);
  assert.ok((c['crm.dlq.rate_limit'] ?? 0) > 0);
  assert.is(c['crm.breaker_opened'], undefined, 'throttling is not a failure of the CRM');
});

test('breaker: opens past 8 failures in 60 s, lets one probe through half-open, closes on its success', async () => {
  const settings = { failureThreshold: 8, windowMs: 60_000, openMs: 30_000 };
  const b = newBreaker();
  for (let i = 0; i < 8; i++) breakerFailure(b, 1000 * i, settings);
  assert.is(b.status, 'closed', 'eight failures is not more than eight');
  breakerFailure(b, 61_500, settings);
  assert.is(b.status, 'closed', 'the first two left the window: seven in it');
  breakerFailure(b, 61_600, settings);
  breakerFailure(b, 61_700, settings);
  assert.is(b.status, 'open', 'nine in 60 s');
  assert.is(breakerReadyAt(b, 70_000), 91_700);
  assert.is(breakerReadyAt(b, 91_700), 91_700);
  assert.is(b.status, 'half_open');
  breakerSent(b);
  assert.is(breakerReadyAt(b, 91_800), Infinity, 'one probe at a time');
  breakerFailure(b, 92_000, settings);
  assert.is(b.status, 'open', 'a failed probe opens it again');
  breakerReadyAt(b, 122_000);
  breakerSent(b);
  breakerSuccess(b);
  assert.is(b.status, 'closed');

  // The outage drill: twenty minutes of 5xx.
  const { summary } = await runIt(
    crm(
      { totalRecords: 600, windowHours: 2, invalidShare: 0 },
      { events: [{ type: 'CRM_OUTAGE', triggerAt: 30, duration: 20 }] },
    ),
    { seed: 4 },
  );
  assert.ok(
    summary.counters['crm.breaker_opened'] >= 20,
    `opened ${summary.counters['crm.breaker_opened']} times, about once per 30 s of outage`,
  );
  assert.is(summary.gauges['crm.breaker_state'], 0, 'closed again after the outage');
  assert.ok(summary.counters['crm.dlq.server'] > 0);
  const { generated, settled } = balanced(summary.counters);
  assert.is(settled, generated);
});

test('thinning: a backlog past its mark thins generation, each change an event, every skip recorded', async () => {
  const none = { probability: 0, maxPerRecord: 0, budget: 0 };
  const { summary, events } = await runIt(
    crm({
      totalRecords: 20_000,
      windowHours: 0.5,
      distribution: 'front_loaded',
      tier: 'starter',
      batchSize: 1,
      thinning: { backlogHigh: 500, minKeep: 0.2 },
      secondary: { note: none, call: none, task: none, ticket: none },
    }),
    { seed: 2 },
  );
  const changes = events
    .filter((e) => e.type === 'crm.thinning')
    .map((e) => e.data as { before: number; after: number; factor: number; totalWaiting: number });
  assert.ok(changes.length >= 2, 'thinned, then relaxed');
  assert.ok(
    changes[0].after < 1 && changes[0].before === 1 && changes[0].totalWaiting > 500,
    JSON.stringify(changes[0]),
  );
  for (const ch of changes) assert.ok(Math.abs(ch.factor - ch.after / ch.before) < 0.001);
  assert.ok(summary.counters['crm.skipped.thinning'] > 1000);
  const { generated, settled } = balanced(summary.counters);
  assert.is(settled, generated);
});

test('retry variables: the new name wins, the legacy one is read, a short backoff list repeats its last value, a bad value names its variable', () => {
  assert.equal(retryFromEnv({}).contact, { attempts: 3, backoffMs: [2000, 8000] });
  const env = {
    CONTACT_ATTEMPTS: '5',
    ATTEMPTS_CONTACT: '2',
    BACKOFF_CONTACT: '100',
    ATTEMPTS_SECONDARY: '4',
    BACKOFF_SECONDARY: '0,3000',
    NOTE_BACKOFF_MS: '50',
    BACKOFF_NOTE: '999',
    ATTEMPTS_TICKET: '1',
  };
  const retry = retryFromEnv(env);
  assert.equal(retry.contact, { attempts: 5, backoffMs: [100, 100, 100, 100] });
  assert.equal(retry.note, { attempts: 4, backoffMs: [50, 50, 50] });
  assert.equal(retry.call, { attempts: 4, backoffMs: [0, 3000, 3000] });
  // Inherits the secondary list as padded for the secondary's own attempts.
  assert.equal(retry.ticket, { attempts: 1, backoffMs: [0, 3000, 3000] });
  assert.throws(
    () => retryFromEnv({ CONTACT_ATTEMPTS: '0' }),
    /CONTACT_ATTEMPTS must be a whole number from 1 to 10 \(got '0'\)/,
  );
  assert.throws(() => retryFromEnv({ ATTEMPTS_CALL: 'three' }), /ATTEMPTS_CALL must be/);
  assert.throws(() => retryFromEnv({ TASK_BACKOFF_MS: '0,,5' }), /TASK_BACKOFF_MS must be a comma list/);
});

test('retry variables reach a run from the command line, are stored with it, and a bad one stops it with a one-line error', () => {
  const db = path.join(tempDir(), 'crm-env.db');
  const args = [
    'run',
    'crm',
    '--seed',
    '1',
    '--policy',
    'totalRecords=100',
    '--policy',
    'windowHours=1',
    '--policy',
    'invalidShare=0',
    '--duration',
    '3h',
    '--db',
    db,
    '--json',
  ];
  const faults = ['--policy', 'faults={"serverError":0.5}'];
  const once = cliSync([...args, ...faults], { CONTACT_ATTEMPTS: '1', ATTEMPTS_SECONDARY: '1' });
  // Exit 1: half the requests fail and nothing is retried, so the DLQ gate fails, as it should.
  assert.is(once.code, 1, once.stderr);
  const summary = lastJsonLine(once.stdout);
  assert.is(summary.counters['crm.retries'], undefined, 'one attempt each: no retries');
  assert.ok(summary.counters['crm.dlq.server'] > 20);
  assert.match(summary.reproduce, /"contact":\{"attempts":1/);
  const bad = cliSync(args, { NOTE_ATTEMPTS: '11' });
  assert.is(bad.code, 2, bad.stderr);
  assert.match(bad.stderr.trim().split('\n').pop()!, /NOTE_ATTEMPTS must be a whole number from 1 to 10 \(got '11'\)/);
});

test('DLQ categories: how each answer is read', () => {
  const cat = (a: Parameters<typeof classifyAnswer>[0]) => classifyAnswer(a).failure?.category;
  assert.is(cat({ status: 201, body: { results: [] } }), undefined);
  assert.is(cat({ status: 401, body: { category: 'INVALID_AUTHENTICATION' } }), 'auth');
  assert.is(cat({ status: 403, body: { category: 'MISSING_SCOPES' } }), 'auth');
  assert.is(cat({ status: 429, body: { policyName: 'TEN_SECONDLY_ROLLING' } }), 'rate_limit');
  assert.is(cat({ status: 500, body: { category: 'RATE_LIMITS' } }), 'rate_limit');
  assert.is(cat({ status: 400, body: { category: 'VALIDATION_ERROR' } }), 'validation');
  assert.is(cat({ status: 503 }), 'server');
  assert.is(cat({ error: 'timeout' }), 'network');
  assert.is(cat({ error: 'reset' }), 'network');
  const partial = classifyAnswer({
    status: 207,
    body: {
      results: [{ id: '9', objectWriteTraceId: 'a' }],
      errors: [{ message: 'bad email', context: { objectWriteTraceId: ['b'] } }],
    },
  });
  assert.equal(partial.created, { a: '9' });
  assert.equal(partial.invalid, { b: 'bad email' });
  assert.is(classifyAnswer({ status: 400 }).failure?.retryable, false, 'validation is not retried');
  assert.is(
    classifyAnswer({ status: 429, headers: { 'retry-after': '3' } }).failure?.retryAfterMs,
    3000,
    'the cooldown the answer asks for',
  );
  assert.is(classifyAnswer({ status: 429 }).failure?.retryAfterMs, undefined);
});

test.run();
