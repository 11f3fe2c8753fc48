// The dashboards in a real browser: the headless Chromium that `npm install` brings
// (@sparticuz/chromium; CHROMIUM_PATH names another), driven by playwright-core, against
// `tickwork serve` on loopback. Values must move from the stream and the controls must reach the run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser, type Page } from 'playwright-core';
import { cliSync, http, startServerProcess, tempDir, waitFor, type ServerProcess } from './helpers.js';

let server: ServerProcess;
let dbPath: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

test.before(async () => {
  dbPath = path.join(tempDir(), 'dash.db');
  server = await startServerProcess(['--db', dbPath, '--workers', '1']);
  const executablePath = process.env.CHROMIUM_PATH || (await sparticuz.executablePath());
  browser = await chromium.launch({
    executablePath,
    args: process.env.CHROMIUM_PATH ? ['--no-sandbox'] : sparticuz.args,
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

test.after(async () => {
  await browser?.close();
  await server?.stop();
});

const text = (testId: string) => page.getByTestId(testId).innerText();

test('start from the dashboard: tiles, sim time and gates update from the stream', async () => {
  await page.goto(`${server.url}/admin/simcity`);
  await page.getByTestId('message').filter({ hasText: 'press Start' }).waitFor();
  // The scenario list comes from the pack's catalogue entry, not from the page.
  await page.locator('#start-form select[name=scenario] option[value=capacity]').waitFor({ state: 'attached' });
  assert.equal((await page.locator('#start-form select[name=scenario] option').allInnerTexts()).sort(), [
    'baseline',
    'capacity',
    'disaster_mix',
    'growth_curve',
    'soak',
    'vendor_sla',
  ]);
  await page.selectOption('#start-form select[name=scenario]', 'disaster_mix');
  await page.fill('#start-form input[name=seed]', '42');
  await page.selectOption('#start-form select[name=pace]', '2000');
  await page.getByTestId('start').click();
  await page.getByTestId('status').filter({ hasText: 'running' }).waitFor();
  const firstSimTime = await text('sim-time');
  // A number replaces the placeholder once the first intervals arrive over SSE.
  await page.waitForFunction(() =>
    /\d/.test(document.querySelector('[data-testid=tile-p95] .value')?.textContent ?? ''),
  );
  await page.waitForFunction(
    (before) => document.querySelector('[data-testid=sim-time]')?.textContent !== before,
    firstSimTime,
  );
  assert.match(await text('run-id'), /disaster_mix · seed 42/);
  // Gate labels come from the pack's contract, not from the page.
  assert.match(await text('tile-p95'), /< 500 ms/);
  assert.match(await text('tile-errors'), /< 1%/);
  await page.locator('#invariants tr[data-gate=api_error_rate] td.pass').waitFor();
  // Rate gates read as percentages, in the table as on the tiles; every tile says which window it shows.
  assert.match(await page.locator('#invariants tr[data-gate=api_error_rate] td:nth-child(3)').innerText(), /^< 1%$/);
  assert.match(await text('window-p95'), /^(gate window( \(\d+ sim min\))?|last interval)$/);
  assert.match(await text('window-agents'), /^last interval$/);
  await page
    .getByTestId('verdict-banner')
    .filter({ hasText: /^RUNNING · so far (PASS|FAIL|NOT EVALUATED) · \d+ pass, \d+ fail, \d+ not evaluated/ })
    .waitFor();
  assert.match(await text('timeline'), /CACHE_INVALIDATION_STORM 0:30–1:00 · scenario/);
});

test('policy and chaos controls reach the run and show on the timeline', async () => {
  await page.fill('#policy-form input[name=customerSpawnRate]', '1.5');
  await page.getByTestId('apply-policy').click();
  await page.getByTestId('message').filter({ hasText: 'policy applies at the next tick' }).waitFor();
  await page.getByTestId('timeline').filter({ hasText: 'policy {"customerSpawnRate":1.5}' }).waitFor();

  await page.selectOption('#event-form select[name=type]', 'RATE_LIMIT_BURST');
  assert.is(await page.inputValue('#event-form input[name=param]'), '3');
  await page.fill('#event-form input[name=durationMin]', '20');
  await page.getByTestId('trigger-event').click();
  await page
    .getByTestId('timeline')
    .filter({ hasText: /RATE_LIMIT_BURST \d+:\d\d–\d+:\d\d · live/ })
    .waitFor();

  // A bad value is refused by the API and the page says why.
  await page.fill('#event-form input[name=param]', '0');
  await page.getByTestId('trigger-event').click();
  await page.getByTestId('message').filter({ hasText: 'TW_ERR_VALIDATION' }).waitFor();
});

test('the kill switch stops the run and the page shows the final state', async () => {
  await page.getByTestId('stop').click();
  await page.getByTestId('status').filter({ hasText: 'stopped' }).waitFor();
  await page
    .getByTestId('message')
    .filter({ hasText: /stopped at sim \d+:\d\d/ })
    .waitFor();
  const verdicts = await page.locator('#invariants td:last-child').allInnerTexts();
  assert.ok(verdicts.length >= 4, 'gates listed');
  // The run's verdict in one word, beside the counts.
  await page
    .getByTestId('verdict-banner')
    .filter({ hasText: /^(PASS|FAIL|NOT EVALUATED) · \d+ pass, \d+ fail, \d+ not evaluated/ })
    .waitFor();
  assert.equal(pageErrors, []);
});

test('a ramp scenario shows its breaking point: load per step, the last load that held, where gates first failed', async () => {
  await page.goto(`${server.url}/admin/simcity`);
  await page.getByTestId('start').waitFor();
  // The capacity sweep: 8 one-hour steps in a few seconds of turbo (growth_curve's 48 hours take minutes).
  await page.selectOption('#start-form select[name=scenario]', 'capacity');
  await page.fill('#start-form input[name=seed]', '1');
  await page.selectOption('#start-form select[name=pace]', 'turbo');
  await page.getByTestId('start').click();
  await page
    .getByTestId('status')
    .filter({ hasText: /completed|failed/ })
    .waitFor({ timeout: 120_000 });
  const panel = page.getByTestId('breaking-point');
  await panel.locator('tbody tr').nth(7).waitFor();
  assert.match(await panel.locator('tbody tr').first().innerText(), /^0\s+0\.3\s+0:00–1:00\s+0\.9\d* req\/s\s+held$/);
  assert.match(
    await panel.innerText(),
    /last load that held: 7\.\d+ req\/s \(step 5\) · api_p95_response_time first failed at 6:\d\d/,
  );
  assert.equal(pageErrors, []);
});

test('/admin lists runs of every pack, filters by pack and links to the pack pages', async () => {
  await page.goto(`${server.url}/admin`);
  const row = page.getByTestId('runs').locator('tr', { hasText: 'disaster_mix' }).filter({ hasText: 'stopped' });
  await row.waitFor();
  // Verdict, start time and wall time beside each run: stopped before its end, it is incomplete
  // (or failed, had a critical gate failed before the stop).
  assert.match(await row.innerText(), /(incomplete|fail)\s+42\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\d+:\d\d\s+[\d.]+ s/);
  assert.match(await page.getByTestId('pack-pages').innerText(), /simcity dashboard/);
  await page.selectOption('#filters select[name=pack]', 'ledger');
  await page.getByTestId('message').filter({ hasText: 'no runs yet' }).waitFor();
  assert.is(await page.getByTestId('runs').locator('tr').count(), 0);
  assert.equal(pageErrors, []);
});

test('the generic run page shows any pack: panels, gates, controls from its contract, the timeline', async () => {
  const started = await http('POST', `${server.url}/api/runs`, { scenario: 'ledger', seed: 3, pace: 600, workers: 1 });
  assert.is(started.status, 201);
  const runId: string = started.body.runId;
  await page.goto(`${server.url}/admin/runs/${runId.slice(0, 8)}`);
  await page.getByTestId('title').filter({ hasText: 'ledger (pack ledger) · seed 3' }).waitFor();
  // The ledger's panels: its total as a tile, coloured by the gate it sits above.
  await page.locator('.tile.pass', { hasText: 'total balance' }).filter({ hasText: '10000000' }).waitFor();
  await page.locator('tr[data-gate=ledger_total_conserved] td.pass').waitFor();
  // Controls come from the contract: a number input per numeric policy.
  await page.fill('#policy-form input[name=maxTransfer]', '50');
  await page.getByTestId('apply-policy').click();
  await page.getByTestId('message').filter({ hasText: 'policy applies at the next tick' }).waitFor();
  await page.getByTestId('timeline').filter({ hasText: 'policy {"maxTransfer":50}' }).waitFor();
  assert.is(await page.locator('#event-form').isHidden(), true, 'the ledger has no events');
  await page.getByTestId('stop').click();
  await page.getByTestId('status').filter({ hasText: 'stopped' }).waitFor();
  await page.getByTestId('chart').first().waitFor();
  assert.equal(pageErrors, []);
});

test("the rebalance map: stations of a running simulation coloured by fill, trucks' moves per bucket, sim time growing", async () => {
  const started = await http('POST', `${server.url}/api/runs`, {
    scenario: 'rebalance/day',
    seed: 1,
    pace: 3600,
    workers: 1,
    policies: { city: { synthetic: { stations: 150, seed: 3 } }, districtSide: 3, startHour: 7 },
  });
  assert.is(started.status, 201, JSON.stringify(started.body));
  const runId: string = started.body.runId;
  await page.goto(`${server.url}/admin/rebalance?run=${runId}`);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=map] circle[fill]').length === 150);
  // Buckets keep coming while the run goes on: the page follows the newest, with moves drawn.
  await page.waitForFunction(() =>
    /^Mon (0[89]|1\d):\d\d$/.test(document.querySelector('[data-testid=when]')?.textContent ?? ''),
  );
  // One check inside the page: the map follows the run, so a later bucket (maybe without moves) can
  // be drawn between two separate reads of the arrows and the caption.
  const drawn = await page.waitForFunction(
    () => {
      const lines = document.querySelectorAll('[data-testid=map] line').length;
      const stats = document.querySelector('[data-testid=stats]')?.textContent ?? '';
      return lines > 0 && stats.endsWith(` ${lines} moves`) ? stats : false;
    },
    undefined,
    { timeout: 30_000 },
  );
  assert.match((await drawn.jsonValue()) as string, /^150 stations · \d+ empty · \d+ full · [1-9]\d* moves$/);
  await http('POST', `${server.url}/api/runs/${runId}/stop`, {});
  // The stop answers before the run has ended; later tests start runs under the server's running limit.
  const ended = await http('GET', `${server.url}/api/runs/${runId}/wait?timeoutS=60`);
  assert.is(ended.status, 200, 'the rebalance run ended after its stop');
  assert.equal(pageErrors, []);
});

test('the rebalance map of a policy API system: its snapshot by fill, and the moves of a run asked for from the page', async () => {
  // Tuesday 07:00 UTC: the morning rush, so the demo system needs moves.
  await page.goto(`${server.url}/admin/rebalance?system=demo&T_bucket=1715065200`);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=map] circle[fill]').length === 300);
  assert.match(await text('when'), /^system demo · sv \d+$/);
  await page.getByTestId('plan').click();
  await page
    .getByTestId('plan-status')
    .filter({ hasText: /^rebal\.greedy\.v1 ready · objective [\d.]+$/ })
    .waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=map] line').length > 0);
  assert.match(await text('stats'), /^300 stations · \d+ empty · \d+ full · [1-9]\d* moves$/);
  assert.equal(pageErrors, []);
});

test('the SimCRM page: a simulation created and started from the form, its ledger balanced, every segment expanded', async () => {
  await page.goto(`${server.url}/admin/crm`);
  await page.locator('#create select[name=scenario] option', { hasText: 'outage' }).waitFor({ state: 'attached' });
  // A bad window is refused with the field named.
  await page.fill('#create input[name=end_time]', '2026-01-05T08:00:00Z');
  await page.click('#create button[type=submit]');
  await page
    .getByTestId('message')
    .filter({ hasText: /end_time: must be after start_time$/ })
    .waitFor();
  await page.fill('#create input[name=end_time]', '2026-01-05T13:00:00Z');
  await page.fill('#create input[name=total_records]', '300');
  await page.selectOption('#create select[name=distribution_method]', 'uniform');
  await page.click('#create button[type=submit]');
  // Started, or refused with another message than the first one's: either way the text says which.
  await page.waitForFunction(() => {
    const m = document.querySelector('[data-testid=message]');
    return (
      m &&
      (/^simulation \d+ started$/.test(m.textContent ?? '') ||
        (m.className === 'error' && !/end_time/.test(m.textContent ?? '')))
    );
  });
  const started = await page.getByTestId('message').innerText();
  assert.match(started, /^simulation \d+ started$/, started);
  const id = /\d+/.exec(started)![0];
  const row = page.getByTestId(`simulation-${id}`);
  await row.filter({ hasText: 'completed' }).filter({ hasText: 'balanced' }).waitFor({ timeout: 30_000 });
  const cells = await row.locator('td').allInnerTexts();
  const [generated, created, dlq, skipped] = cells.slice(5, 9).map(Number);
  assert.is(cells[3], '300');
  assert.is(generated, created + dlq + skipped);
  assert.ok(generated > 300, 'records and their activities');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=segments] span.expanded').length === 4);
  assert.match(await page.locator('#detail-title').innerText(), new RegExp(`^simulation ${id} · completed$`));
  assert.equal(pageErrors, []);
});

test('a sweep over HTTP: its runs on the server, the grid of seeds × parameter sets by verdict, each cell a link to its run', async () => {
  // With accounts of 999 the conservation gate (10,000,000 in total) fails: two parameter sets, one failing.
  const started = await http('POST', `${server.url}/api/sweeps`, {
    scenario: 'ledger',
    seeds: '1..2',
    policies: { initialBalance: [1000, 999] },
    duration: '10m',
  });
  assert.is(started.status, 201, JSON.stringify(started.body));
  assert.is(started.body.runs, 4);
  const url = `${server.url}/api/sweeps/${started.body.sweepId}`;
  const sweep = await waitFor('the sweep to end', async () => {
    const r = await http('GET', url);
    return r.body.state !== 'running' && r.body;
  });
  assert.is(sweep.state, 'completed');
  assert.equal(
    sweep.passRates.map((p: { params: string; passed: number; runs: number }) => [p.params, p.passed, p.runs]).sort(),
    [
      ['initialBalance=1000', 2, 2],
      ['initialBalance=999', 0, 2],
    ],
  );
  const failing = sweep.runs.find((r: { verdict: string }) => r.verdict === 'FAILED');
  assert.ok(failing.failedGates.some((g: string) => g.startsWith('ledger_total_conserved worst 9990000')));
  // The same seed from the command line gives the same digest.
  const direct = cliSync([
    'run',
    'ledger',
    '--seed',
    String(failing.seed),
    '--duration',
    '10m',
    '--policy',
    'initialBalance=999',
    '--json',
  ]);
  assert.is(JSON.parse(direct.stdout.trim().split('\n').pop()!).digest, failing.digest);

  // Listed on /admin with its tally, linked to its grid.
  await page.goto(`${server.url}/admin`);
  const listed = page.getByTestId('sweeps').locator('tr', { hasText: started.body.sweepId });
  await listed.filter({ hasText: '4 of 4' }).waitFor();
  assert.equal((await listed.locator('td').allInnerTexts()).slice(1), ['ledger', 'completed', '4 of 4', '2']);
  await listed.locator('a').click();
  await page.waitForURL(new RegExp(`${started.body.view}$`));
  await page.getByTestId('progress').filter({ hasText: 'completed · 4 of 4 runs ended · 2 passed' }).waitFor();
  assert.is(await page.locator('[data-testid=grid] td[data-verdict=PASSED]').count(), 2);
  assert.is(await page.locator('[data-testid=grid] td[data-verdict=FAILED]').count(), 2);
  assert.match(await text('failures'), /ledger_total_conserved worst 9990000/);
  assert.match(await text('failures'), /npx tickwork run ledger --seed \d/);
  await page.locator('[data-testid=grid] td[data-verdict=FAILED] a').first().click();
  await page.waitForURL(/\/admin\/runs\/[0-9a-f-]+/);
  assert.ok(
    sweep.runs.some((r: { runId: string }) => page.url().includes(r.runId)),
    page.url(),
  );
  assert.equal(pageErrors, []);
});

test('a sweep the CLI ran on the same store reads over HTTP; bad sweeps get a 4xx with a code and a field', async () => {
  const cli = cliSync(['sweep', 'ledger', '--seeds', '3', '--duration', '10m', '--json', '--db', dbPath]);
  assert.is(cli.code, 0, cli.stderr);
  const { sweepId } = JSON.parse(cli.stdout.trim().split('\n').pop()!);
  const stored = await http('GET', `${server.url}/api/sweeps/${sweepId}`);
  assert.is(stored.status, 200);
  assert.is(stored.body.state, 'completed');
  assert.equal(
    stored.body.runs.map((r: { seed: number; verdict: string }) => [r.seed, r.verdict]),
    [[3, 'PASSED']],
  );
  for (const [body, status, code, field] of [
    [{ scenario: 'ledger', seeds: '5..1' }, 400, 'TW_ERR_VALIDATION', 'seeds'],
    [{ scenario: 'ledger', seeds: '1', policies: { nosuch: [1] } }, 400, 'TW_ERR_VALIDATION', 'policies'],
    [{ scenario: 'nosuch', seeds: '1' }, 404, 'TW_ERR_SCENARIO_NOT_FOUND', undefined],
    [{ scenario: 'ledger', seeds: '1..1001' }, 400, 'TW_ERR_VALIDATION', 'seeds'],
    [{ scenario: 'ledger' }, 400, 'TW_ERR_VALIDATION', 'seeds'],
  ] as const) {
    const r = await http('POST', `${server.url}/api/sweeps`, body);
    assert.is(r.status, status, JSON.stringify(r.body));
    assert.is(r.body.error.code, code);
    if (field) assert.ok(String(r.body.error.path).startsWith(field), JSON.stringify(r.body.error));
  }
  const missing = await http('GET', `${server.url}/api/sweeps/0123456789ab`);
  assert.is(missing.status, 404);
  assert.is(missing.body.error.code, 'TW_ERR_SWEEP_NOT_FOUND');
});

test.run();
