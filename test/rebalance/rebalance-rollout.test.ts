// Rebalance rollout machinery (issue 19): each stage's thresholds at and around their edges, the
// minimum sample before a verdict, rollback after consecutive failing windows, the policy
// configuration refused at start when inconsistent, and run keys that depend only on the request.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  evaluateGates,
  shouldRollBack,
  STAGE_THRESHOLDS,
  STAGES,
  type GateSample,
} from '../../actors/rebalance/domain/rollout/rollout-gates.js';
import { allowed, policyConfigFromEnv } from '../../actors/rebalance/domain/rollout/policy-config.js';
import { runKey } from '../../actors/rebalance/domain/rollout/run-key.js';

/**
 * 100 global runs: `timeouts` timed out (and fell back), `fallbacks` fell back in all, each pair greedy 10 vs global
 * `global`.
 */
function window(timeouts: number, fallbacks: number, global: number, n = 100): GateSample[] {
  return Array.from({ length: n }, (_, i) => ({
    timedOut: i < timeouts,
    fellBack: i < fallbacks,
    greedyObjective: 10,
    globalObjective: global,
  }));
}

test('every stage passes exactly at its thresholds and fails one step past each, saying which and why', () => {
  for (const stage of STAGES) {
    const t = STAGE_THRESHOLDS[stage];
    const timeouts = Math.round(t.timeout_rate * 100);
    const fallbacks = Math.round(t.fallback_rate * 100);
    // objective_delta_ratio = (10 - global) / 10: at the floor, global = 10 - 10 * floor.
    const atFloor = 10 - 10 * t.objective_delta_ratio;
    const edge = evaluateGates(stage, window(timeouts, fallbacks, atFloor));
    assert.is(edge.verdict, 'pass', `${stage}: ${edge.reasons.join('; ')}`);
    assert.equal(edge.reasons, []);

    const late = evaluateGates(stage, window(timeouts + 1, Math.max(fallbacks, timeouts + 1), atFloor));
    assert.is(late.verdict, 'fail');
    assert.ok(
      late.reasons.some(
        (r) => r === `timeout_rate ${(timeouts + 1) / 100} is above the ${stage} limit ${t.timeout_rate}`,
      ),
      late.reasons.join('; '),
    );

    const fallen = evaluateGates(stage, window(timeouts, fallbacks + 1, atFloor));
    assert.equal(fallen.reasons, [
      `fallback_rate ${(fallbacks + 1) / 100} is above the ${stage} limit ${t.fallback_rate}`,
    ]);

    const worse = evaluateGates(stage, window(timeouts, fallbacks, atFloor + 0.01));
    assert.is(worse.verdict, 'fail');
    assert.match(
      worse.reasons[0],
      new RegExp(
        `^objective_delta_ratio -0\\.\\d+ is below the ${stage} floor ${t.objective_delta_ratio} \\(global did worse than greedy\\)$`,
      ),
    );
  }
});

test('a window with too few runs, or no shadow pairs, is inconclusive, never a pass', () => {
  const few = evaluateGates('public', window(0, 0, 9, 19));
  assert.equal(
    [few.verdict, few.reasons],
    ['inconclusive', ['19 global-policy runs in the window; a verdict needs at least 20']],
  );
  assert.is(evaluateGates('public', window(0, 0, 9, 20)).verdict, 'pass');
  const unpaired = evaluateGates(
    'shadow',
    Array.from({ length: 50 }, () => ({ timedOut: false, fellBack: false })),
  );
  assert.is(unpaired.verdict, 'inconclusive');
  assert.match(unpaired.reasons.at(-1)!, /no run in the window computed both policies/);
  assert.is(evaluateGates('shadow', [], { minSamples: 5 }).metrics.timeout_rate, null);
});

test('rollback needs the last N windows all failed; an inconclusive window breaks the run', () => {
  assert.ok(shouldRollBack(['pass', 'fail', 'fail', 'fail'], 3));
  assert.not.ok(shouldRollBack(['fail', 'fail', 'inconclusive', 'fail', 'fail'], 3));
  assert.ok(shouldRollBack(['fail'], 1), 'one 15-minute window, as the runbook words it');
  assert.not.ok(shouldRollBack(['fail', 'fail'], 3), 'not enough history');
});

test('policy configuration: the runbook settings load; inconsistent ones are refused naming the variable', () => {
  const config = policyConfigFromEnv({
    POLICY_AVAILABLE_VERSIONS: 'rebal.greedy.v1,rebal.global.v1',
    POLICY_DEFAULT_VERSION: 'rebal.greedy.v1',
    POLICY_ALLOWLIST: 'citibike-nyc=rebal.greedy.v1|rebal.global.v1;divvy=rebal.greedy.v1',
  });
  assert.equal(config.available, ['rebal.greedy.v1', 'rebal.global.v1']);
  assert.ok(allowed(config, 'citibike-nyc', 'rebal.global.v1'));
  assert.not.ok(allowed(config, 'divvy', 'rebal.global.v1'));
  assert.ok(
    allowed(config, 'unlisted-city', 'rebal.global.v1'),
    'a system without an allowlist may run what is available',
  );
  // The kill switch: greedy only; global is no longer offered anywhere.
  const killed = policyConfigFromEnv({
    POLICY_AVAILABLE_VERSIONS: 'rebal.greedy.v1',
    POLICY_DEFAULT_VERSION: 'rebal.greedy.v1',
  });
  assert.not.ok(allowed(killed, 'citibike-nyc', 'rebal.global.v1'));
  const refused: [Record<string, string>, RegExp][] = [
    [
      { POLICY_AVAILABLE_VERSIONS: 'rebal.greedy.v1', POLICY_DEFAULT_VERSION: 'rebal.global.v1' },
      /^POLICY_DEFAULT_VERSION: 'rebal.global.v1' is not in POLICY_AVAILABLE_VERSIONS/,
    ],
    [
      { POLICY_AVAILABLE_VERSIONS: 'rebal.greedy.v1,rebal.magic.v9' },
      /^POLICY_AVAILABLE_VERSIONS: unknown policy version 'rebal.magic.v9'/,
    ],
    [
      { POLICY_AVAILABLE_VERSIONS: 'rebal.greedy.v1', POLICY_ALLOWLIST: 'nyc=rebal.global.v1' },
      /^POLICY_ALLOWLIST: nyc allows rebal.global.v1, which POLICY_AVAILABLE_VERSIONS does not offer/,
    ],
    [{ POLICY_ALLOWLIST: 'no-equals-sign' }, /^POLICY_ALLOWLIST: 'no-equals-sign' is not system_id=version\|version/],
  ];
  for (const [env, message] of refused) assert.throws(() => policyConfigFromEnv(env), message);
});

test('run keys depend only on the request: same parts, same key; any part changed, another key', () => {
  const parts = { systemId: 'citibike-nyc', sv: 'snap-42', policyVersion: 'rebal.global.v1', tBucket: 1_764_571_200 };
  const key = runKey(parts);
  assert.is(runKey({ ...parts }), key);
  assert.match(key, /^rebal\.global\.v1:1764571200:[0-9a-f]{16}$/);
  const others = [
    runKey({ ...parts, sv: 'snap-43' }),
    runKey({ ...parts, systemId: 'divvy' }),
    runKey({ ...parts, tBucket: parts.tBucket + 900 }),
  ];
  assert.is(new Set([key, ...others]).size, 4);
});

test.run();
