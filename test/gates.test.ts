// Verdicts a CI can trust: every gate is pass, fail, not-evaluated (never had the data) or n/a
// (cannot apply to this run, with why); a critical gate never judged fails the run unless the
// scenario marks it optional; a gate reports the worst window it saw beside the last.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { cliSync, lastJsonLine, runIt, scenario, smallLedger, tempDir } from './helpers.js';
import { MAX_EPISODES_PER_GATE } from '../runtime/invariants/invariant-checker.js';

const never = (optional?: boolean) => ({
  id: 'never_recorded',
  metric: 'ledger.no_such_metric',
  statistic: 'value',
  operator: '==',
  threshold: 0,
  severity: 'critical',
  ...(optional === undefined ? {} : { optional }),
});

test('a critical gate that was never judged fails the run, says why, and is counted; optional, it does not', async () => {
  const base = smallLedger().invariants;
  const strict = await runIt(smallLedger({ invariants: [...base, never()] }));
  assert.is(strict.summary.passed, false);
  const gate = strict.summary.invariants.find((g) => g.id === 'never_recorded')!;
  assert.is(gate.verdict, 'not-evaluated');
  assert.match(gate.reason ?? '', /no data: ledger\.no_such_metric was never recorded/);
  assert.equal(strict.summary.verdicts, { pass: 2, fail: 0, notEvaluated: 1, notApplicable: 0 });

  const relaxed = await runIt(smallLedger({ invariants: [...base, never(true)] }));
  assert.is(relaxed.summary.passed, true);
  assert.is(relaxed.summary.invariants.find((g) => g.id === 'never_recorded')!.optional, true);
});

test('a failed gate shows its worst window beside its last one', async () => {
  // Balances drift below 990 early and the gate fails; its worst value is the lowest balance seen.
  const low = {
    id: 'rich',
    metric: 'ledger.balance_min',
    statistic: 'value',
    operator: '>=',
    threshold: 990,
    severity: 'critical',
  };
  const { summary } = await runIt(smallLedger({ invariants: [low] }));
  const gate = summary.invariants[0];
  assert.is(gate.verdict, 'fail');
  assert.ok(
    gate.worst && gate.worst.observed <= gate.observed!,
    `worst ${gate.worst?.observed} vs last ${gate.observed}`,
  );
  assert.ok(gate.evaluations > 10);
  assert.is(gate.worst!.observed, Math.min(...summary.violations.map((v) => v.observed)));
});

// One citizen session every hour or so: the API gates never see 50 calls in a window.
const QUIET_NIGHT = ['--policy', 'customerSpawnRate=0.0003'];

test('a run whose API gates never see enough calls does not pass (exit 1): unjudged is not a pass', () => {
  const r = cliSync([
    'run',
    'soak',
    '--seed',
    '7',
    '--pace',
    'turbo',
    '--duration',
    '12h',
    ...QUIET_NIGHT,
    '--db',
    path.join(tempDir(), 'soak.db'),
    '--json',
  ]);
  assert.is(r.code, 1, r.stderr);
  const s = lastJsonLine(r.stdout);
  assert.is(s.passed, false);
  const gate = s.invariants.find((g: { id: string }) => g.id === 'api_error_rate');
  assert.is(gate.verdict, 'not-evaluated');
  assert.match(gate.reason, /too few samples: never 50 of api\.requests in any 60-sim-minute window/);
  const drift = s.invariants.find((g: { id: string }) => g.id === 'orchestrator_tick_drift');
  assert.equal([drift.verdict, drift.reason], ['n/a', 'paced-only: judged against wall time, not in turbo']);
});

test('--junit writes one test case per gate: failures for failed and unjudged critical gates, skips for the rest', () => {
  const dir = tempDir();
  const junit = path.join(dir, 'soak.xml');
  const r = cliSync([
    'run',
    'soak',
    '--seed',
    '7',
    '--pace',
    'turbo',
    '--duration',
    '6h',
    ...QUIET_NIGHT,
    '--db',
    path.join(dir, 'j.db'),
    '--junit',
    junit,
  ]);
  assert.is(r.code, 1, r.stderr);
  const xml = readFileSync(junit, 'utf8');
  const cases = [...xml.matchAll(/<testcase [^>]*name="([^"]+)">(.*?)<\/testcase>/g)].map((m) => [
    m[1].split(' ')[0],
    m[2].startsWith('<failure') ? 'failure' : m[2].startsWith('<skipped') ? 'skipped' : 'ok',
  ]);
  assert.equal(cases, [
    ['orchestrator_tick_drift', 'skipped'],
    ['memory_usage', 'ok'],
    // A critical gate that 6 sim hours cannot judge (a trend needs a sim day) is a failure too.
    ['memory_growth', 'failure'],
    ['api_error_rate', 'failure'],
    ['cache_hit_rate', 'skipped'],
  ]);
  assert.match(xml, /tests="5" failures="2" skipped="2"/);
  assert.match(xml, /a trend needs at least 24 sim hours of runtime\.rss_mb samples/);
});

test('a flapping gate keeps at most 500 episodes; the rest are counted, and the counts stay true', async () => {
  // Two actors waking every 1 and 2 sim minutes: 2 steps on even minutes, 1 on odd ones, so a gate
  // `steps < 2` over the last minute fails and recovers every other minute: 1,440 episodes in 48 h.
  const flapping = scenario({
    pack: 'probe',
    tickMs: 60_000,
    partitions: 1,
    duration: { simHours: 48 },
    metricsIntervalMin: 1,
    policies: {
      'probe.actors': [
        { kind: 'leaker', args: { kb: 0, everyMs: 60_000 } },
        { kind: 'leaker', args: { kb: 0, everyMs: 120_000 } },
      ],
    },
    invariants: [
      {
        id: 'flaps',
        metric: 'runtime.steps',
        statistic: 'sum',
        windowMin: 1,
        operator: '<',
        threshold: 2,
        severity: 'warning',
      },
    ],
  });
  const { summary } = await runIt(flapping, { workers: 0 });
  assert.is(summary.violations.length, MAX_EPISODES_PER_GATE);
  assert.ok(
    summary.violationsDropped && summary.violationsDropped.warning > 800,
    JSON.stringify(summary.violationsDropped),
  );
  assert.is(summary.violationCounts.warning, MAX_EPISODES_PER_GATE + summary.violationsDropped!.warning);
  assert.is(summary.invariants.find((i) => i.id === 'flaps')!.verdict, 'fail');
});

test.run();
