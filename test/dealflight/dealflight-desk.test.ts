// Deal Flight's desk (issue 18) through its public surfaces: JSON over real HTTP on loopback and
// the `tickwork dealflight` CLI, on a real SQLite file. Errors carry the runbook's codes and the
// column; 100 racing promote requests apply exactly one variant; the kill switch pauses the route
// and keeps the tables; parity finds a tampered row; the sim_* counters are on /metrics; the
// demo run (`tickwork run dealflight`) passes its KPI gates.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer } from '../../server/server.js';
import { PACKS, cliSync, http, lastJsonLine, tempDir } from '../helpers.js';
import { RUNBOOK_QUERIES } from './dealflight-queries.js';

type Server = Awaited<ReturnType<typeof startServer>>;

const dir = tempDir();
const dbPath = path.join(dir, 'desk.db');
let server: Server;

test.before(async () => {
  server = await startServer({ packs: PACKS, host: '127.0.0.1', port: 0, dbPath, token: undefined });
});
test.after(async () => {
  await server.close('test done');
});

const api = (p: string) => `${server.url}/api/dealflight${p}`;

test('POST /api/dealflight/simulate: a ranked comparison recorded as a run; GET the run back', async () => {
  const r = await http('POST', api('/simulate'), {
    text: '/quote simulate Q-1001 discount=25% | qty seats=200, term=36 | add audit-log',
  });
  assert.is(r.status, 200, JSON.stringify(r.body));
  const c = r.body.data;
  assert.equal(
    c.variants.map((v: { key: string; rank: number }) => [v.rank, v.key]),
    [
      [1, 'v2'],
      [2, 'v1'],
      [3, 'v3'],
    ],
  );
  assert.is(c.variants[1].policy.status, 'approval_required');
  assert.equal(
    c.variants[2].violations.map((v: { code: string }) => v.code),
    ['CPQ_REQUIRES'],
  );
  const stored = await http('GET', api(`/runs/${c.runId}`));
  assert.is(stored.status, 200);
  assert.equal(
    stored.body.data.variants.map((v: { key: string }) => v.key),
    ['v2', 'v1', 'v3'],
  );
  assert.is(stored.body.data.quoteId, 'Q-1001');
});

test('refusals carry the runbook codes, the field and the column the user typed', async () => {
  const cases: [unknown, number, string, number | undefined][] = [
    [{ quoteId: 'Q-1001', variants: 'discount=15' }, 400, 'SIM_PARSE', 12],
    [{ text: 'simulate Q-1001 term=24 | term=36 | term=12 | discount=5%' }, 400, 'SIM_TOO_MANY_VARIANTS', undefined],
    [{ text: 'simulate Q-9999 term=24' }, 404, 'SIM_QUOTE_NOT_FOUND', undefined],
  ];
  for (const [body, status, code, position] of cases) {
    const r = await http('POST', api('/simulate'), body);
    assert.is(r.status, status, JSON.stringify(r.body));
    assert.is(r.body.error.code, code);
    assert.is(r.body.error.path, 'text');
    if (position !== undefined) assert.is(r.body.error.position, position);
  }
  const bad = await http('POST', api('/simulate'), { text: 'x'.repeat(3000) });
  assert.equal([bad.status, bad.body.error.code, bad.body.error.path], [400, 'TW_ERR_VALIDATION', 'text']);
});

test('100 racing promote requests over HTTP: exactly one variant applied, the quote changed once', async () => {
  const run = (await http('POST', api('/simulate'), { text: 'simulate Q-1003 discount=10% | term=24' })).body.data;
  const before = (await http('GET', api('/quotes/Q-1003'))).body.data.version;
  const results = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      http('POST', api('/promote'), {
        runId: run.runId,
        variantKey: i % 3 === 0 ? 'v2' : 'v1',
        ...(i % 5 === 0 ? { idempotencyKey: 'double-click' } : {}),
      }),
    ),
  );
  const outcomes = results.map((r) => (r.status === 200 ? r.body.data.outcome : r.body.error.code));
  assert.is(outcomes.filter((o) => o === 'applied').length, 1, JSON.stringify(outcomes));
  assert.ok(
    outcomes.every((o) => ['applied', 'duplicate', 'SIM_ALREADY_PROMOTED', 'SIM_IDEMPOTENCY_CONFLICT'].includes(o)),
    JSON.stringify(outcomes),
  );
  assert.is((await http('GET', api('/quotes/Q-1003'))).body.data.version, before + 1);
  const promoted = (await http('GET', api(`/runs/${run.runId}`))).body.data.variants.filter(
    (v: { selectedForPromotion: boolean }) => v.selectedForPromotion,
  );
  assert.is(promoted.length, 1);
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(metrics, /^sim_promotions_requested_total 100$/m);
  assert.match(metrics, /^sim_promotions_applied_total 1$/m);
  assert.match(metrics, /^sim_requests_total \d+$/m);
  assert.ok(Number(/^sim_failures_total (\d+)$/m.exec(metrics)?.[1]) >= 3, 'the refusals above were counted');
});

test('the kill switch pauses /quote simulate with SIM_PAUSED and keeps every table; turning it on resumes', async () => {
  const run = (await http('POST', api('/simulate'), { text: 'simulate Q-1002 term=24' })).body.data;
  assert.equal((await http('POST', api('/kill-switch'), { enabled: false })).body.data, { enabled: false });
  const paused = await http('POST', api('/simulate'), { text: 'simulate Q-1002 term=12' });
  assert.equal([paused.status, paused.body.error.code], [503, 'SIM_PAUSED']);
  assert.is((await http('GET', api(`/runs/${run.runId}`))).status, 200, 'past runs stay readable');
  // The CLI on the same store sees the stored switch.
  const cli = cliSync(['dealflight', 'simulate', 'Q-1002', 'term=12', '--db', dbPath]);
  assert.equal(
    [cli.code, cli.stderr.trim()],
    [3, 'tickwork: the Deal Flight simulator is paused (kill switch); quotes and past runs are intact [SIM_PAUSED]'],
  );
  assert.equal((await http('POST', api('/kill-switch'), { enabled: true })).body.data, { enabled: true });
  assert.is((await http('POST', api('/simulate'), { text: 'simulate Q-1002 term=12' })).status, 200);
});

test('the runbook queries, as written, read the session; parity finds a tampered price (exit 1)', async () => {
  const db = new Database(dbPath, { readonly: true });
  const outcomes = db.prepare(RUNBOOK_QUERIES.outcomes).all() as { status: string; count: number }[];
  assert.ok(
    outcomes.some((o) => o.status === 'promoted' && o.count === 1) && outcomes.some((o) => o.status === 'completed'),
    JSON.stringify(outcomes),
  );
  const audit = Object.fromEntries(
    (db.prepare(RUNBOOK_QUERIES.audit).all() as { event_type: string; count: number }[]).map((a) => [
      a.event_type,
      a.count,
    ]),
  );
  assert.is(audit.promotion_applied, 1);
  assert.ok(audit.request_received >= 6 && audit.error_occurred >= 3, JSON.stringify(audit));
  assert.ok((db.prepare(RUNBOOK_QUERIES.approvals).all() as unknown[]).length >= 1);
  db.close();

  const clean = cliSync(['dealflight', 'parity', '--since', '1d', '--db', dbPath, '--json']);
  assert.is(clean.code, 0, clean.stderr);
  const report = lastJsonLine(clean.stdout);
  assert.ok(report.runs >= 4 && report.mismatches.length === 0, clean.stdout);
  const writer = new Database(dbPath);
  writer
    .prepare(
      "UPDATE deal_flight_scenario_variant SET priced_json = json_set(priced_json, '$.netMinor', 1) WHERE id = (SELECT MIN(id) FROM deal_flight_scenario_variant WHERE priced_json IS NOT NULL)",
    )
    .run();
  writer.close();
  const tampered = cliSync(['dealflight', 'parity', '--db', dbPath]);
  assert.is(tampered.code, 1);
  assert.match(tampered.stdout, /1 mismatches/);
  assert.match(tampered.stdout, / priced: stored /);
});

test('the CLI prints the comparison as a table; bad input is one line and exit 2', () => {
  const db = path.join(tempDir(), 'cli.db');
  const ok = cliSync(['dealflight', 'simulate', 'Q-1001', 'discount=25%', '|', 'term=36', '--db', db]);
  assert.is(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^rank\s+variant\s+changes\s+net/m);
  assert.match(ok.stdout, /^-\s+base\s+Q-1001\s+\$73,200\.00/m);
  assert.match(ok.stdout, /^2\s+v1\s+discount=25%\s+\$54,900\.00\s+-\$18,300\.00\s+25%.*needs sales_manager$/m);
  // Priced as pool jobs (DEALFLIGHT_PRICING=pool), the same comparison, row for row.
  const pooled = cliSync(['dealflight', 'simulate', 'Q-1001', 'discount=25%', '|', 'term=36', '--db', db], {
    DEALFLIGHT_PRICING: 'pool',
  });
  const rows = (out: string) =>
    out
      .split('\n')
      .slice(1, 5)
      .map((l) => l.replace(/^-\s+base\s+Q-1001\s+\S+/, 'base'));
  assert.equal(rows(pooled.stdout).slice(2), rows(ok.stdout).slice(2));
  const runId = /^scenario run (\S+)$/m.exec(ok.stdout)![1];
  assert.match(ok.stdout, /^1\s+v2\s+term=36m\s.*auto-approved$/m);
  const promoted = cliSync(['dealflight', 'promote', runId, 'v2', '--db', db]);
  assert.match(promoted.stdout, /^applied: v2 of run .*; quote is now version 2$/m);
  const again = cliSync(['dealflight', 'promote', runId, 'v1', '--db', db]);
  assert.equal([again.code, again.stderr.trim().split('\n').length], [2, 1]);
  assert.match(again.stderr, /\[SIM_ALREADY_PROMOTED\]/);
  const badEnv = cliSync(['dealflight', 'simulate', 'Q-1001', 'term=24', '--db', db], { DEALFLIGHT_PRICING: 'gpu' });
  assert.equal([badEnv.code, badEnv.stderr.trim().split('\n').length], [2, 1]);
  assert.match(badEnv.stderr, /DEALFLIGHT_PRICING/);
  const parse = cliSync(['dealflight', 'simulate', 'Q-1001', 'discount=15', '--db', db]);
  assert.is(parse.code, 2);
  assert.is(
    parse.stderr.trim(),
    "tickwork: at column 19: expected '%' after the discount, found the end of the command [SIM_PARSE]",
  );
  const file = path.join(tempDir(), 'catalogue.json');
  writeFileSync(file, JSON.stringify({ currency: 'usd', products: [] }));
  const invalid = cliSync(['dealflight', 'load-catalogue', file, '--db', db]);
  assert.equal([invalid.code, invalid.stderr.trim().split('\n').length], [2, 1]);
  assert.match(invalid.stderr, /catalogue\.json: currency: .*\[SIM_CATALOGUE_INVALID\]/);
});

test('the demo: synthetic reps pass the runbook KPI gates, and the summary reads like the runbook', () => {
  const r = cliSync([
    'run',
    'dealflight',
    '--seed',
    '3',
    '--pace',
    'turbo',
    '--workers',
    '0',
    '--duration',
    '4h',
    '--json',
    '--db',
    path.join(tempDir(), 'demo.db'),
  ]);
  assert.is(r.code, 0, r.stderr);
  const s = lastJsonLine(r.stdout);
  assert.ok(s.passed);
  assert.is(
    s.verdicts.notEvaluated,
    0,
    JSON.stringify(s.invariants.map((i: { id: string; verdict: string }) => [i.id, i.verdict])),
  );
  const k = s.kpis;
  assert.ok(k.requests > 500 && k.successRate.value >= 0.98, JSON.stringify(k));
  assert.ok(k.approvalMix.share > 0 && k.approvalMix.share < 1);
  assert.ok(k.latencyMs.p95 <= 800);
  assert.equal([k.parity.mismatches, k.parity.checks > 0], [0, true]);
  assert.ok(k.promotions.applied > 0 && k.promotions.failureRate <= 0.02, JSON.stringify(k.promotions));
});

test.run();
