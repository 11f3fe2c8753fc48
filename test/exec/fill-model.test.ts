// Partial fills a consumer can add up: a whole number of lots splits into whole lots (whole shares
// by default, so 30 shares' fills sum to exactly 30 in any language's floating point); a lot per
// symbol for instruments traded in fractions; millionths only when the quantity itself is fractional.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type FillConfig, planFills } from '../../actors/exec/domain/fill-model.js';
import type { OrderIntent } from '../../actors/exec/domain/order-intent.js';
import { execPoliciesSchema } from '../../actors/exec/sim/policies.js';
import { namedRng } from '../../runtime/rng.js';

const config = (lots: Record<string, number> = {}): FillConfig => ({
  model: 'uniform',
  minDelayMs: 50,
  maxDelayMs: 400,
  partialFillChance: 1,
  slippageBps: 2,
  typicalQuantity: 100,
  lotSize: (symbol) => lots[symbol] ?? 1,
});

const intent = (symbol: string, quantity: number): OrderIntent => ({
  schema_version: 1,
  intent_id: `i-${symbol}-${quantity}`,
  correlation_id: 'c',
  strategy: 's',
  symbol,
  side: 'buy',
  quantity,
  order_type: 'market',
  reference_price: 100,
  time_in_force: 'day',
  created_at: '2026-01-01T00:00:00Z',
});

test('30 shares split into whole shares whose plain sum is 30, for every seed', () => {
  for (let seed = 1; seed <= 500; seed++) {
    const { fills } = planFills(intent('AAPL', 30), config(), namedRng(seed, 'x'));
    assert.ok(fills.length >= 2, 'a partial fill');
    assert.ok(
      fills.every((f) => Number.isInteger(f.quantity) && f.quantity >= 1),
      String(fills.map((f) => f.quantity)),
    );
    assert.is(
      fills.reduce((s, f) => s + f.quantity, 0),
      30,
    );
  }
});

test('one share cannot split: it fills whole', () => {
  const { fills } = planFills(intent('AAPL', 1), config(), namedRng(1, 'x'));
  assert.equal(
    fills.map((f) => f.quantity),
    [1],
  );
});

test('a symbol with a lot of 0.001 splits into thousandths; a fractional quantity of whole-share stock into millionths', () => {
  for (let seed = 1; seed <= 200; seed++) {
    const btc = planFills(intent('BTC-USD', 0.5), config({ 'BTC-USD': 0.001 }), namedRng(seed, 'x')).fills;
    for (const f of btc) assert.is(Math.abs(f.quantity * 1000 - Math.round(f.quantity * 1000)) < 1e-9, true);
    assert.is(Math.round(btc.reduce((s, f) => s + f.quantity, 0) * 1000), 500);
    const odd = planFills(intent('AAPL', 2.5), config(), namedRng(seed, 'x')).fills;
    assert.is(Math.round(odd.reduce((s, f) => s + f.quantity, 0) * 1e6), 2_500_000);
  }
});

test('lots are powers of ten, set per symbol in the policies', () => {
  assert.ok(execPoliciesSchema.safeParse({ lotSize: 1, lotSizes: { 'BTC-USD': 0.001 } }).success);
  const bad = execPoliciesSchema.safeParse({ lotSizes: { 'BTC-USD': 0.003 } });
  assert.ok(!bad.success);
  assert.match(JSON.stringify(bad.error?.issues), /power of ten/);
});

test.run();
