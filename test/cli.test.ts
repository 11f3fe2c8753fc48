// The CLI contract: bad input is exit 2 with one line naming the field; a failed gate is exit 1
// with the command that reproduces it; --json ends stdout with the summary object.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CLI, cliSpawn, cliSync, lastJsonLine, runIt, smallLedger, tempDir, waitFor } from './helpers.js';

const dir = tempDir();
const db = path.join(dir, 'cli.db');
function scenarioFile(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}
const valid = {
  name: 'tiny',
  pack: 'ledger',
  duration: { simMinutes: 10 },
  policies: { accounts: 50, initialBalance: 100, maxTransfer: 10, transferEveryMs: 10_000, transitMaxMs: 1000 },
};

const cases: [string, string[], RegExp][] = [
  ['unknown flag', ['run', 'ledger', '--sed', '1'], /Unknown option '--sed'/],
  ['bad seed', ['run', 'ledger', '--seed', 'abc'], /--seed must be a whole number/],
  ['bad workers', ['run', 'ledger', '--workers', '99'], /--workers must be between 0 and 64/],
  ['bad pace', ['run', 'ledger', '--pace', 'fast'], /--pace must be 'turbo' or a positive ratio/],
  ['bad duration', ['run', 'ledger', '--duration', '3 weeks'], /--duration must look like 20h/],
  ['unknown scenario', ['run', 'nope'], /unknown scenario 'nope' \(built in: /],
  ['a misspelt scenario', ['run', 'disater_mix'], /unknown scenario 'disater_mix' \(did you mean 'disaster_mix'\?\)/],
  ['missing file', ['run', './missing.json'], /scenario file not found/],
  ['not JSON', ['run', scenarioFile('broken.json', '{ "name": ')], /not valid JSON/],
  ['wrong type', ['run', scenarioFile('type.json', { ...valid, tickMs: 'fast' })], /tickMs: .*expected number/i],
  [
    'nested field',
    [
      'run',
      scenarioFile('nested.json', {
        ...valid,
        invariants: [{ id: 'x', metric: 'm', statistic: 'p42', operator: '<', threshold: 1, severity: 'critical' }],
      }),
    ],
    /invariants\.0\.statistic/,
  ],
  ['unknown field', ['run', scenarioFile('extra.json', { ...valid, tikMs: 5 })], /tikMs/],
  ['unknown pack', ['run', scenarioFile('pack.json', { ...valid, pack: 'nopack' })], /pack: unknown pack 'nopack'/],
  ['no scenario', ['run'], /exactly one scenario/],
  ['unknown run', ['replay', 'no-such-run', '--db', db], /no run 'no-such-run'/],
  [
    'a store path in no directory',
    ['run', 'ledger', '--db', path.join(path.dirname(db), 'no-such-dir', 'x.db')],
    /directory .*no-such-dir does not exist/,
  ],
  ['unknown command', ['fly'], /unknown command 'fly'/],
  ['serve: bad port', ['serve', '--port', '99999', '--db', db], /--port must be between 0 and 65535/],
  [
    'serve: unknown scenario to start',
    ['serve', '--port', '0', '--start', 'atlantis', '--db', db],
    /unknown scenario 'atlantis'/,
  ],
];

for (const [name, args, message] of cases) {
  test(`exit 2 with a one-line message: ${name}`, () => {
    const r = cliSync(args);
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.is(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
  });
}

test('a store path in no directory leaves nothing behind', () => {
  const missing = path.join(dir, 'typo-dir');
  assert.is(cliSync(['runs', '--db', path.join(missing, 'x.db')]).code, 2);
  assert.not.ok(existsSync(missing), 'no directory was made');
});

test('--help works on every command', () => {
  for (const cmd of [[], ['run'], ['replay'], ['resume'], ['scenarios'], ['serve']]) {
    const r = cliSync([...cmd, '--help']);
    assert.is(r.code, 0);
    assert.match(r.stdout, /Usage: tickwork/);
  }
});

test('run --json: seed and options first on stderr, the summary object alone on stdout', () => {
  const r = cliSync([
    'run',
    scenarioFile('ok.json', valid),
    '--seed',
    '4',
    '--workers',
    '1',
    '--pace',
    'turbo',
    '--db',
    db,
    '--json',
  ]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr.split('\n')[0], /seed=4 .*workers=1 .*partitions=16 .*pace=turbo/);
  const s = JSON.parse(r.stdout);
  for (const key of ['runId', 'scenario', 'seed', 'status', 'digest', 'ticks', 'simTimeMs', 'violations', 'metrics'])
    assert.ok(key in s, key);
  assert.is(s.seed, 4);
  assert.is(s.simTimeMs, 600_000);
  const replay = cliSync(['replay', s.runId, '--db', db, '--json', '--workers', '2']);
  assert.is(replay.code, 0, replay.stderr);
  assert.equal(lastJsonLine(replay.stdout), {
    runId: s.runId,
    digest: s.digest,
    expected: s.digest,
    match: true,
    comparedAt: { status: 'completed', simMs: s.simTimeMs, ticks: s.ticks },
  });
});

test('a failed critical invariant exits 1 and prints the reproduce command; --fail-fast stops early', () => {
  const strict = {
    ...valid,
    duration: { simMinutes: 30 },
    invariants: [
      {
        id: 'tiny_transfers',
        metric: 'ledger.transfer_amount',
        statistic: 'max',
        operator: '<',
        threshold: 5,
        severity: 'critical',
      },
    ],
  };
  const file = scenarioFile('strict.json', strict);
  const r = cliSync(['run', file, '--seed', '9', '--workers', '0', '--pace', 'turbo', '--db', db]);
  assert.is(r.code, 1);
  assert.match(r.stdout, /tiny_transfers +critical +FAIL/);
  assert.match(
    r.stdout,
    new RegExp(`reproduce: npx tickwork run ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} --seed 9`),
  );
  const ff = cliSync([
    'run',
    file,
    '--seed',
    '9',
    '--workers',
    '0',
    '--pace',
    'turbo',
    '--db',
    db,
    '--fail-fast',
    '--json',
  ]);
  assert.is(ff.code, 1);
  const s = lastJsonLine(ff.stdout);
  assert.ok(s.simTimeMs < 30 * 60_000, `stopped early at ${s.simTimeMs}`);
  assert.is(s.violations[0].invariantId, 'tiny_transfers');
  assert.is(s.violations[0].seed, 9);
  assert.is(s.violations[0].runId, s.runId);
  assert.ok(s.violations[0].observed >= 5);
});

test('scenarios --json lists the built-in scenarios', () => {
  const r = cliSync(['scenarios', '--json']);
  assert.is(r.code, 0);
  const list = JSON.parse(r.stdout);
  assert.ok(list.some((s: { name: string; pack: string }) => s.name === 'ledger' && s.pack === 'ledger'));
});

test('--policy overrides a policy (refused if the pack does not know it); reproduce commands carry it, or say replay once inputs steered the run', async () => {
  const db = path.join(tempDir(), 'policy.db');
  const r = cliSync([
    'run',
    'ledger',
    '--seed',
    '3',
    '--workers',
    '0',
    '--pace',
    'turbo',
    '--duration',
    '20m',
    '--policy',
    'maxTransfer=7',
    '--db',
    db,
    '--json',
  ]);
  assert.is(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.is(
    s.reproduce,
    "npx tickwork run ledger --seed 3 --workers 0 --partitions 16 --pace turbo --policy 'maxTransfer=7' --duration 20m",
  );
  assert.ok(s.metrics['ledger.transfer_amount'].max <= 7, 'the override took effect');
  assert.equal(s.violationCounts, { critical: 0, warning: 0 });
  const again = cliSync(
    s.reproduce
      .replace('npx tickwork ', '')
      .split(' ')
      .map((w: string) => w.replace(/^'|'$/g, ''))
      .concat(['--db', db, '--json']),
  );
  assert.is(JSON.parse(again.stdout).digest, s.digest, 'the printed command reproduces the run');
  const bogus = cliSync(['run', 'ledger', '--policy', 'bogus=1', '--db', db]);
  assert.is(bogus.code, 2);
  assert.match(bogus.stderr, /--policy: unknown ledger policy 'bogus'; known: accounts, initialBalance/);

  // A run steered by an outside input reproduces only from its log.
  const steered = await runIt(smallLedger(), { seed: 2 }, {}, (run) =>
    run.submit({ kind: 'policy', policies: { maxTransfer: 10 } }),
  );
  assert.is(steered.summary.reproduce, `npx tickwork replay ${steered.summary.runId}`);
});

test('--event adds a scenario event: it changes the run, the reproduce command repeats it, and a bad one is one line with exit 2', () => {
  const db = path.join(tempDir(), 'event.db');
  const args = [
    'run',
    'baseline',
    '--seed',
    '3',
    '--workers',
    '0',
    '--pace',
    'turbo',
    '--duration',
    '2h',
    '--db',
    db,
    '--json',
  ];
  const plain = JSON.parse(cliSync(args).stdout);
  const spec = 'RATE_LIMIT_BURST@30m/20m:{"multiplier":5}';
  const r = cliSync([...args, '--event', spec]);
  assert.is(r.code === 0 || r.code === 1, true, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.is.not(s.digest, plain.digest, 'the event took effect');
  assert.match(s.reproduce, `--event '${spec}'`);
  // The reproduce command, as a shell would split it, gives the same digest.
  const words = s.reproduce
    .replace('npx tickwork ', '')
    .match(/'[^']*'|\S+/g)
    .map((w: string) => w.replace(/^'|'$/g, ''));
  assert.is(JSON.parse(cliSync([...words, '--db', db, '--json']).stdout).digest, s.digest);

  for (const [bad, why] of [
    ['NOPE@1h/5m', /unknown event 'NOPE' \(known: .*RATE_LIMIT_BURST/],
    ['RATE_LIMIT_BURST@1h', /not an event \(form: TYPE@AT\/DURATION/],
    ['RATE_LIMIT_BURST@90/5m', /start '90' is not a sim time with a unit/],
    ['RATE_LIMIT_BURST@1h/5m:{"multiplier":-3}', /multiplier/],
    ['RATE_LIMIT_BURST@1h/5m:[1]', /parameters must be a JSON object/],
  ] as const) {
    const e = cliSync(['run', 'baseline', '--event', bad, '--db', db]);
    assert.is(e.code, 2, bad);
    assert.match(e.stderr, why);
    assert.is(e.stderr.trim().split('\n').length, 1, `one line for ${bad}`);
  }
});

test('replay of a running run says so and compares at its last recorded progress, which matches', async () => {
  const db = path.join(tempDir(), 'replay-running.db');
  const child = cliSpawn([
    'run',
    'ledger',
    '--seed',
    '8',
    '--workers',
    '2',
    '--duration',
    '4h',
    '--pace',
    '600',
    '--db',
    db,
  ]);
  try {
    const progressed = () => {
      try {
        const file = new Database(db, { readonly: true, fileMustExist: true });
        const row = file.prepare("SELECT id, sim_ms FROM runs WHERE status = 'running' AND sim_ms > 0").get() as
          | { id: string }
          | undefined;
        file.close();
        return row?.id;
      } catch {
        return undefined;
      }
    };
    const id = await waitFor('recorded progress of the running run', progressed);
    const text = cliSync(['replay', id, '--db', db]);
    assert.is(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      new RegExp(`run ${id} is still running: comparing at its last recorded progress, sim \\S+ \\(tick \\d+\\)`),
    );
    const json = JSON.parse(cliSync(['replay', id, '--db', db, '--json']).stdout);
    assert.is(json.comparedAt.status, 'running');
    assert.ok(json.comparedAt.simMs > 0);
    assert.is(json.match, true);
  } finally {
    child.kill('SIGKILL');
  }
});

test('on a TTY, log lines print above the progress line, never inside it; the line shows sim h:mm, speed and ETA', () => {
  const db = path.join(tempDir(), 'tty.db');
  // script(1) gives the run a pseudo-terminal, as a person's shell would.
  const command = `node ${CLI} run ledger --seed 8 --workers 2 --duration 2h --pace 3000 --db ${db}`;
  const r = spawnSync('script', ['-qfec', command, '/dev/null'], {
    encoding: 'utf8',
    env: { ...process.env, TICKWORK_LOG_LEVEL: 'info' },
  });
  assert.is(r.status, 0, r.stderr);
  // What a terminal shows on each row: the text after the row's last carriage return.
  const rows = r.stdout.split('\n').map((row) =>
    row
      .replace(/\r$/, '')
      .split('\r')
      .pop()!
      // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the terminal's erase-line sequence.
      .replace(/\x1b\[K/g, ''),
  );
  const logRows = rows.filter((row) => /(INFO|WARN) +sim \d+:\d\d tick \d+/.test(row));
  assert.ok(logRows.length >= 2, `log rows: ${logRows.length}`);
  for (const row of logRows)
    assert.not.match(row, /real time/, `a log row shares its line with the progress line: ${JSON.stringify(row)}`);
  assert.ok(
    rows.some((row) => /run ended: PASSED/.test(row)),
    'the end of the run is logged at info',
  );
  assert.match(r.stdout, /sim \d+:\d\d\/2:00 {2}[\d.]+x real time {2}\d+ ticks\/s {2}ETA /);
});

test('logs: a bad level is a clear usage error; at info a run says it started and how it ended, with tick numbers', () => {
  const db = path.join(tempDir(), 'logs.db');
  const bad = cliSync(['run', 'ledger', '--pace', 'turbo', '--duration', '5m', '--db', db], {
    TICKWORK_LOG_LEVEL: 'verbose',
  });
  assert.is(bad.code, 2);
  assert.match(
    bad.stderr,
    /TICKWORK_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent \(got 'verbose'\)/,
  );
  const info = cliSync(['run', 'ledger', '--seed', '2', '--pace', 'turbo', '--duration', '5m', '--db', db, '--json'], {
    TICKWORK_LOG_LEVEL: 'info',
  });
  assert.is(info.code, 0, info.stderr);
  const lines = info.stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  const started = lines.find((l) => l.msg === 'run started');
  const ended = lines.find((l) => l.msg === 'run ended: PASSED');
  assert.is(started.seed, 2);
  assert.equal([ended.tick, ended.simMs], [301, 300_000]);
  JSON.parse(info.stdout); // stdout stays the summary alone
});

test('a reader that closes the pipe early (| head) does not crash the command: the run still ends and is stored', async () => {
  const db = path.join(tempDir(), 'epipe.db');
  const child = cliSpawn([
    'run',
    'ledger',
    '--seed',
    '4',
    '--workers',
    '0',
    '--pace',
    'turbo',
    '--duration',
    '20m',
    '--db',
    db,
  ]);
  child.stdout!.destroy(); // as `head` does once it has its lines
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const [code] = await once(child, 'exit');
  assert.is(code, 0, stderr);
  assert.not.match(stderr, /EPIPE|Unhandled/);
  const runs = JSON.parse(cliSync(['runs', '--db', db, '--json']).stdout);
  assert.equal(
    runs.map((r: { status: string }) => r.status),
    ['completed'],
  );
});

test('exit 3 when the tool cannot do its work: a store that cannot be opened', () => {
  const r = cliSync(['run', 'ledger', '--pace', 'turbo', '--duration', '1m', '--db', '/dev/null/tickwork.db']);
  assert.is(r.code, 3);
  assert.match(r.stderr, /^tickwork: cannot open store \/dev\/null\/tickwork\.db: .* \[TW_ERR_STORE\]$/m);
});

test('runs lists stored runs with filters; show, replay, report and compare take a unique id prefix', () => {
  const db = path.join(tempDir(), 'history.db');
  const args = (seed: string) => [
    'run',
    'ledger',
    '--seed',
    seed,
    '--workers',
    '0',
    '--pace',
    'turbo',
    '--duration',
    '20m',
    '--db',
    db,
    '--json',
  ];
  const first = lastJsonLine(cliSync(args('5')).stdout);
  const second = lastJsonLine(cliSync(args('6')).stdout);
  const listed = JSON.parse(cliSync(['runs', '--pack', 'ledger', '--db', db, '--json']).stdout);
  assert.equal(
    listed.map((r: { runId: string }) => r.runId),
    [second.runId, first.runId],
    'newest first',
  );
  assert.equal(
    listed.map((r: { verdict: string }) => r.verdict),
    ['passed', 'passed'],
  );
  assert.equal(JSON.parse(cliSync(['runs', '--status', 'failed', '--db', db, '--json']).stdout), []);

  const prefix = first.runId.slice(0, 8);
  const shown = cliSync(['show', prefix, '--db', db, '--json']);
  assert.is(shown.code, 0, shown.stderr);
  assert.is(lastJsonLine(shown.stdout).digest, first.digest);
  const replay = cliSync(['replay', prefix, '--db', db, '--json']);
  assert.is(lastJsonLine(replay.stdout).match, true);
  // A report is one self-contained HTML file with the summary embedded for machines.
  const out = path.join(tempDir(), 'report.html');
  const report = cliSync(['report', prefix, '--db', db, '--out', out]);
  assert.is(report.code, 0, report.stderr);
  const html = readFileSync(out, 'utf8');
  assert.not.match(html, /<script src=|<link /, 'nothing fetched');
  assert.match(html, /data-testid="verdict">PASSED</);
  const embedded = JSON.parse(/<script type="application\/json" id="summary">(.*?)<\/script>/s.exec(html)![1]);
  assert.is(embedded.digest, first.digest);
  assert.ok(
    Object.values(embedded.metrics as Record<string, { hdr: string }>).some((m) => m.hdr.length > 0),
    'encoded HDR histograms',
  );
  assert.match(html, /<svg /, 'charts over sim time');
  // Compare: the same figures side by side with deltas.
  const cmp = JSON.parse(cliSync(['compare', first.runId, second.runId, '--db', db, '--json']).stdout);
  assert.is(cmp.a.seed, 5);
  assert.is(cmp.b.seed, 6);
  const steps = cmp.rows.find((r: { figure: string }) => r.figure === 'steps');
  assert.is(steps.delta, second.steps - first.steps);
  assert.equal(cmp.caveats, [], 'same pack, scenario and span: like for like');
  // For people: sections with a header, the change in percent, the engine's own figures left out.
  const human = cliSync(['compare', first.runId, second.runId, '--db', db]);
  assert.is(human.code, 0, human.stderr);
  assert.match(human.stdout, /^gates\s+a\s+b\s+change$/m);
  const change = (second.steps / first.steps - 1) * 100;
  const stepsChange = change === 0 ? '=' : `${change > 0 ? '\\+' : '-'}[\\d.]+%`;
  assert.match(human.stdout, new RegExp(`^steps\\s+[\\d,]+\\s+[\\d,]+\\s+${stepsChange}$`, 'm'));
  assert.not.match(human.stdout, /runtime\.tick_us/);
  assert.match(human.stdout, /runtime\.\* figures of the engine left out; --all shows them/);
  const tooShort = cliSync(['show', first.runId.slice(0, 2), '--db', db]);
  assert.is(tooShort.code, 2);
  assert.match(tooShort.stderr, /a prefix needs at least 4 characters/);
});

test.run();
