// `tickwork sweep`: seeds × parameter sets run several at a time, each stored with the sweep's
// label; the result says which runs failed, with their worst gate values and a reproduce command
// that gives the same digest; every run's digest equals a direct `tickwork run` of its seed.
// `tickwork hunt`: the same runs on random seeds until a failure or the budget.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cliAsync, cliSync, lastJsonLine, tempDir } from './helpers.js';

/** The sweep's child processes take a few seconds each: spawned, not run synchronously. */
const cli = (args: string[]) => cliAsync(args, { TICKWORK_LOG_LEVEL: 'silent' });

/** A printed reproduce command (`npx tickwork run ... --policy 'a=1'`) as CLI arguments. */
function reproduceArgs(command: string): string[] {
  const words = command.replace(/^npx tickwork /, '').match(/'[^']*'|\S+/g)!;
  return words.map((w) => w.replace(/^'(.*)'$/, '$1'));
}

// With 10,000 accounts of 999 the total is 9,990,000: the critical conservation gate (== 10,000,000) fails.
const SWEEP = ['sweep', 'ledger', '--seeds', '1..2', '--policy', 'initialBalance=1000,999', '--duration', '10m'];

test('a sweep runs every seed for every parameter set, reports pass rates and failures, and stores its runs', async () => {
  const dir = tempDir();
  const db = path.join(dir, 'sweep.db');
  const junit = path.join(dir, 'sweep.xml');
  const r = await cli([...SWEEP, '--parallel', '2', '--json', '--junit', junit, '--db', db]);
  assert.is(r.code, 1, `a failing run fails the sweep: ${r.stderr}`);
  const out = lastJsonLine(r.stdout);
  assert.is(out.runs.length, 4);
  assert.equal(out.runs.map((x: { seed: number; params: string }) => `${x.seed} ${x.params}`).sort(), [
    '1 initialBalance=1000',
    '1 initialBalance=999',
    '2 initialBalance=1000',
    '2 initialBalance=999',
  ]);
  assert.equal(
    out.passRates.map((p: { params: string; passed: number; runs: number }) => [p.params, p.passed, p.runs]).sort(),
    [
      ['initialBalance=1000', 2, 2],
      ['initialBalance=999', 0, 2],
    ],
  );
  for (const run of out.runs) {
    if (run.params === 'initialBalance=999') {
      assert.is(run.verdict, 'FAILED');
      assert.ok(
        run.failedGates.some((g: string) => g.startsWith('ledger_total_conserved worst 9990000')),
        run.failedGates.join('; '),
      );
    } else assert.is(run.verdict, 'PASSED');
  }
  assert.match(r.stderr, /\[4\/4\] seed \d/, 'a progress line per run');

  // Stored like any other run, found by the sweep's id.
  const listed = cliSync(['runs', '--sweep', out.sweepId, '--json', '--db', db]);
  assert.is(listed.code, 0, listed.stderr);
  assert.equal(
    JSON.parse(listed.stdout)
      .map((x: { runId: string }) => x.runId)
      .sort(),
    out.runs.map((x: { runId: string }) => x.runId).sort(),
  );
  assert.is((readFileSync(junit, 'utf8').match(/<testsuite /g) ?? []).length, 4);

  // Each run is its seed's run: the same digest from a direct run on 2 workers (the sweep's run inline).
  const passing = out.runs.find(
    (x: { seed: number; params: string }) => x.seed === 2 && x.params === 'initialBalance=1000',
  );
  const direct = await cli([
    'run',
    'ledger',
    '--seed',
    '2',
    '--policy',
    'initialBalance=1000',
    '--duration',
    '10m',
    '--workers',
    '2',
    '--json',
    '--db',
    db,
  ]);
  assert.is(direct.code, 0, direct.stderr);
  assert.is(lastJsonLine(direct.stdout).digest, passing.digest);

  // A failing run's reproduce command gives the same digest and fails the same way.
  const failing = out.runs.find(
    (x: { seed: number; params: string }) => x.seed === 1 && x.params === 'initialBalance=999',
  );
  const again = await cli([...reproduceArgs(failing.reproduce), '--json', '--db', db]);
  assert.is(again.code, 1);
  assert.is(lastJsonLine(again.stdout).digest, failing.digest);
});

test('the text report has the runs table, pass rates and reproduce commands', async () => {
  const db = path.join(tempDir(), 'sweep.db');
  const r = await cli([...SWEEP, '--seeds', '3', '--db', db]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout, /seed\s+parameters\s+verdict\s+failed gates \(worst\)\s+digest\s+wall/);
  assert.match(r.stdout, /initialBalance=999\s+0\s+1\s+0\.0%/);
  assert.match(r.stdout, /1 run\(s\) did not pass; reproduce each with:\n {2}npx tickwork run ledger --seed 3 /);
  assert.match(r.stdout, /npx tickwork runs --sweep [0-9a-f]{12}/);
  for (const line of r.stdout.split('\n')) assert.ok(line.length <= 160, `fits: ${line}`);
});

test('a hunt runs random seeds, stops at the first failure, and its reproduce command fails the same way', async () => {
  const db = path.join(tempDir(), 'hunt.db');
  const r = await cli([
    'hunt',
    'ledger',
    '--policy',
    'initialBalance=999',
    '--duration',
    '10m',
    '--budget',
    '10m',
    '--parallel',
    '2',
    '--json',
    '--db',
    db,
  ]);
  assert.is(r.code, 1, r.stderr);
  const out = lastJsonLine(r.stdout);
  // Both lanes started before the first failure came back; none after it.
  assert.ok(out.runs.length >= 1 && out.runs.length <= 2, `${out.runs.length} runs`);
  for (const run of out.runs) assert.is(run.verdict, 'FAILED');
  assert.match(r.stderr, /stops at the first failure/);
  const failing = out.runs[0];
  const again = await cli([...reproduceArgs(failing.reproduce), '--json', '--db', db]);
  assert.is(again.code, 1, again.stderr);
  assert.is(lastJsonLine(again.stdout).digest, failing.digest);
});

test('a hunt that collects runs until its limit, on distinct random seeds, every run stored with its label', async () => {
  const db = path.join(tempDir(), 'hunt.db');
  const r = await cli(['hunt', 'ledger', '--duration', '10m', '--collect', '--max-runs', '3', '--db', db]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /hunt ([0-9a-f]{12}): ledger, 3 random seeds in .*, 3 passed, 0 did not/);
  assert.match(r.stdout, /no failure found within the budget/);
  const huntId = /hunt ([0-9a-f]{12})/.exec(r.stdout)![1];
  const listed = JSON.parse(cliSync(['runs', '--label', `hunt:${huntId}`, '--json', '--db', db]).stdout);
  assert.is(listed.length, 3);
  assert.is(new Set(listed.map((x: { seed: number }) => x.seed)).size, 3);
});

test('bad sweeps and hunts stop before any run: one line, exit 2, nothing stored', () => {
  const db = path.join(tempDir(), 'sweep.db');
  for (const [args, message] of [
    [['--seeds', '5..1'], /--seeds range 5\.\.1 must go up/],
    [['--seeds', 'x'], /--seeds takes N, A\.\.B or a comma list/],
    [['--seeds', '1..3', '--policy', 'nosuch=1,2'], /unknown ledger policy 'nosuch'; known: accounts, initialBalance/],
    [['--seeds', '1', '--policy', 'initialBalanse=1,2'], /'initialBalanse' \(did you mean 'initialBalance'\?\)/],
    [['--seeds', '1..20000'], /more than 10000 seeds/],
    [['--seeds', '1', '--parallel', '0'], /--parallel must be between 1 and 64/],
    [[], /sweep needs --seeds/],
  ] as const) {
    const r = cliSync(['sweep', 'ledger', ...args, '--db', db]);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  for (const [args, message] of [
    [['--policy', 'initialBalance=1,2'], /--policy initialBalance takes one value in a hunt/],
    [['--budget', '10'], /--budget must look like 20h, 90m/],
    [['--max-runs', '0'], /--max-runs must be between 1 and 10000/],
  ] as const) {
    const r = cliSync(['hunt', 'ledger', ...args, '--db', db]);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  assert.is(cliSync(['runs', '--json', '--db', db]).stdout.trim(), '[]');
  const status = cliSync(['runs', '--status', 'done', '--db', db]);
  assert.is(status.code, 2);
  assert.match(
    status.stderr,
    /--status must be one of running, completed, failed, stopped, interrupted \(got 'done'\)/,
  );
});

test.run();
