// Deal Flight's deterministic CPQ core and simulate grammar (runbook 000, issue 18's first part):
// integer money with one rounding rule, range and slab tiers at their edges, constraints, policy
// thresholds at and around their edges, the command grammar's errors and guardrails, and a
// ranking that does not depend on evaluation order.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyBps, bpsOf, divRound } from '../../actors/dealflight/domain/cpq/money.js';
import { catalogueSchema, type Quote } from '../../actors/dealflight/domain/cpq/catalogue.js';
import { SAMPLE_CATALOGUE } from '../../actors/dealflight/domain/cpq/sample-catalogue.js';
import { periodPriceMinor, priceQuote } from '../../actors/dealflight/domain/cpq/pricing.js';
import { checkConstraints } from '../../actors/dealflight/domain/cpq/constraints.js';
import { evaluatePolicy } from '../../actors/dealflight/domain/cpq/policy.js';
import { parseSimulate, SimulateError } from '../../actors/dealflight/domain/simulator/grammar.js';
import { evaluateBase, evaluateVariant, rankVariants } from '../../actors/dealflight/domain/simulator/variants.js';

const cat = SAMPLE_CATALOGUE;
const product = (sku: string) => cat.products.find((p) => p.sku === sku)!;
const BASE: Quote = {
  id: 'Q-1001',
  termMonths: 12,
  discountBps: 0,
  lines: [
    { sku: 'plan-pro', qty: 1 },
    { sku: 'seats', qty: 120 },
    { sku: 'sso', qty: 1 },
  ],
};

test('money: integers only, and one rounding rule (half away from zero)', () => {
  assert.equal(
    [divRound(5, 2), divRound(-5, 2), divRound(7, 3), divRound(8, 3), divRound(1, 3), divRound(-1, 3)],
    [3, -3, 2, 3, 0, 0],
  );
  assert.is(applyBps(7_320_000, 2000), 1_464_000);
  assert.is(applyBps(999, 5000), 500); // 499.5 rounds up, once
  assert.is(bpsOf(5_928_000, 7_320_000), 8098); // 80.9836% -> 8098 bps
  assert.throws(() => divRound(1.5, 2), /safe integers/);
});

test('tiers: slab prices each unit in its band, range prices every unit at the band the total falls in', () => {
  const seats = product('seats'); // slab: 4500 to 100, 4000 to 500, 3500 to 2000, 3000 after
  assert.is(periodPriceMinor(seats, 100), 450_000);
  assert.is(periodPriceMinor(seats, 101), 454_000);
  assert.is(periodPriceMinor(seats, 500), 2_050_000);
  assert.is(periodPriceMinor(seats, 501), 2_053_500);
  const calls = product('api-calls'); // range: 2000 to 10, 1500 to 100, 1000 after
  assert.is(periodPriceMinor(calls, 10), 20_000);
  assert.is(periodPriceMinor(calls, 11), 16_500, 'the range cliff: 11 packs cost less than 10');
  assert.is(periodPriceMinor(calls, 101), 101_000);
  assert.is(periodPriceMinor(product('sso'), 1), 30_000, 'no tiers: list price');
});

test('pricing: recurring lines over the term, one-time lines once, discount on the subtotal, margin against cost', () => {
  const p = priceQuote(cat, BASE);
  assert.is(p.subtotalMinor, (50_000 + 530_000 + 30_000) * 12);
  assert.is(p.costMinor, (5_000 + 120 * 900 + 3_000) * 12);
  assert.is(p.marginBps, 8098);
  const withOnboarding = priceQuote(cat, {
    ...BASE,
    termMonths: 24,
    lines: [...BASE.lines, { sku: 'onboarding', qty: 1 }],
  });
  assert.is(withOnboarding.subtotalMinor, 610_000 * 24 + 500_000);
  const discounted = priceQuote(cat, { ...BASE, discountBps: 2000 });
  assert.equal([discounted.discountMinor, discounted.netMinor, discounted.marginBps], [1_464_000, 5_856_000, 7623]);
  // Same inputs, same outputs: a second pricing is identical, field for field.
  assert.equal(priceQuote(cat, BASE), priceQuote(cat, structuredClone(BASE)));
});

test('constraints: quantity and term bounds, requires, requires-one-of, incompatible, unknown and duplicate lines', () => {
  const codes = (q: Partial<Quote>) =>
    checkConstraints(cat, { ...BASE, ...q }).map((v) => `${v.code}${v.sku ? `:${v.sku}` : ''}`);
  assert.equal(codes({}), []);
  assert.equal(codes({ termMonths: 11 }), ['CPQ_TERM_BOUNDS']);
  assert.equal(codes({ termMonths: 60 }), []);
  assert.equal(
    codes({
      lines: [
        { sku: 'plan-pro', qty: 1 },
        { sku: 'seats', qty: 4 },
      ],
    }),
    ['CPQ_QTY_BOUNDS:seats'],
  );
  assert.equal(codes({ lines: [{ sku: 'seats', qty: 10 }] }), ['CPQ_REQUIRES:seats']);
  assert.equal(
    codes({
      lines: [
        { sku: 'plan-starter', qty: 1 },
        { sku: 'sso', qty: 1 },
      ],
    }),
    ['CPQ_REQUIRES:sso'],
  );
  assert.equal(
    codes({
      lines: [
        { sku: 'plan-pro', qty: 1 },
        { sku: 'audit-log', qty: 1 },
      ],
    }),
    ['CPQ_REQUIRES:audit-log'],
  );
  assert.equal(
    codes({
      lines: [
        { sku: 'plan-pro', qty: 1 },
        { sku: 'plan-enterprise', qty: 1 },
      ],
    }),
    ['CPQ_INCOMPATIBLE:plan-pro', 'CPQ_INCOMPATIBLE:plan-enterprise'],
  );
  assert.equal(
    codes({
      lines: [
        { sku: 'plan-pro', qty: 1 },
        { sku: 'nope', qty: 1 },
      ],
    }),
    ['CPQ_UNKNOWN_PRODUCT:nope'],
  );
  assert.equal(
    codes({
      lines: [
        { sku: 'plan-pro', qty: 1 },
        { sku: 'plan-pro', qty: 1 },
      ],
    }),
    ['CPQ_DUPLICATE_LINE:plan-pro'],
  );
});

test('policy: discount thresholds are strict (20.00% needs nobody, 20.01% a sales manager, 30.01% the VP), margin below 10% needs finance', () => {
  const policyAt = (discountBps: number) => evaluatePolicy(cat, priceQuote(cat, { ...BASE, discountBps }));
  assert.equal(policyAt(2000).approvers, []);
  assert.is(policyAt(2000).status, 'auto_approved');
  assert.equal(policyAt(2001).approvers, ['sales_manager']);
  assert.equal(policyAt(3000).approvers, ['sales_manager']);
  assert.equal(policyAt(3001).approvers, ['vp_finance']);
  const deep = policyAt(8000); // net 1,464,000 over cost 1,392,000: 4.92% margin
  assert.equal([deep.approvers, deep.approvalLevel, deep.status], [['finance', 'vp_finance'], 2, 'approval_required']);
  assert.match(deep.reasons.join('; '), /discount 80% is above 30%; margin 4.92% is below 10%/);

  // The margin edge, on a one-product catalogue: exactly 10.00% passes, 9.90% does not.
  const tiny = catalogueSchema.parse({
    ...cat,
    products: [{ sku: 'w', name: 'W', billing: 'one_time', listPriceMinor: 1000, unitCostMinor: 900 }],
  });
  const at = (cost: number) =>
    evaluatePolicy(
      { ...tiny, products: [{ ...tiny.products[0], unitCostMinor: cost }] },
      priceQuote(
        { ...tiny, products: [{ ...tiny.products[0], unitCostMinor: cost }] },
        { id: 'T', termMonths: 12, discountBps: 0, lines: [{ sku: 'w', qty: 1 }] },
      ),
    );
  assert.equal(at(900).approvers, []);
  assert.equal(at(901).approvers, ['finance']);
});

test('grammar: variants and changes as written; errors give the column and what was expected', () => {
  const cmd = parseSimulate(
    '/quote simulate Q-1001 discount=15% | qty seats=120, term=36m | add sso, discount=25.5%, remove onboarding',
  );
  assert.is(cmd.quoteId, 'Q-1001');
  assert.equal(cmd.variants, [
    { key: 'v1', changes: [{ kind: 'discount', bps: 1500 }] },
    {
      key: 'v2',
      changes: [
        { kind: 'qty', sku: 'seats', qty: 120 },
        { kind: 'term', months: 36 },
      ],
    },
    {
      key: 'v3',
      changes: [
        { kind: 'add', sku: 'sso', qty: 1 },
        { kind: 'discount', bps: 2550 },
        { kind: 'remove', sku: 'onboarding' },
      ],
    },
  ]);
  const fails = (text: string) => {
    try {
      parseSimulate(text);
    } catch (err) {
      assert.instance(err, SimulateError);
      const e = err as SimulateError;
      return `${e.code}@${e.position} ${e.message}`;
    }
    throw new Error(`parsed: ${text}`);
  };
  assert.match(
    fails('simulate Q-1 discount=15'),
    /^SIM_PARSE@25 .*expected '%' after the discount, found the end of the command/,
  );
  assert.match(
    fails('simulate Q-1 discount=15% , bogus=1'),
    /^SIM_PARSE@29 .*expected a change \(discount, qty, term, add or remove\), found 'bogus'/,
  );
  assert.match(fails('simulate Q-1 qty seats 12'), /^SIM_PARSE@24 .*expected '=' after seats, found '12'/);
  assert.match(fails('simulate Q-1 term=12.5'), /^SIM_PARSE@19 .*whole number/);
  assert.match(fails('simulate Q-1 discount=12.345%'), /^SIM_PARSE@23 .*at most 2 decimals/);
  assert.match(fails('simulate Q-1 discount=15% ; term=12'), /^SIM_PARSE@27 .*unexpected character ';'/);
  assert.match(fails('simulate'), /^SIM_PARSE@9 .*expected a quote id/);
  // Guardrails, with their own codes.
  assert.match(fails('simulate Q-1 discount=100.01%'), /^SIM_OUT_OF_RANGE@23 /);
  assert.match(fails('simulate Q-1 qty seats=1000001'), /^SIM_OUT_OF_RANGE/);
  assert.match(
    fails('simulate Q-1 term=1 | term=2 | term=3 | term=4'),
    /^SIM_TOO_MANY_VARIANTS@41 .*at most 3 variants/,
  );
  assert.is(
    parseSimulate('simulate Q-1 term=1 | term=2 | term=3 | term=4', { maxVariants: 4, maxChangesPerVariant: 8 })
      .variants.length,
    4,
  );
  assert.match(
    fails(`simulate Q-1 ${Array.from({ length: 9 }, (_, i) => `term=${i + 12}`).join(', ')}`),
    /^SIM_TOO_MANY_CHANGES/,
  );
});

test('variants: deltas against the base, rejected variants ranked last, a total order that ignores evaluation order', () => {
  const baseEval = evaluateBase(cat, BASE);
  const cmd = parseSimulate(
    'simulate Q-1001 discount=25% | qty seats=10 | discount=10% | remove plan-pro | discount=10%, add support-premium',
    { maxVariants: 5, maxChangesPerVariant: 8 },
  );
  const evaluate = () => cmd.variants.map((v) => evaluateVariant(cat, BASE, baseEval, v));
  const ranked = rankVariants(evaluate());
  // No approval needed, by margin: v2 86.40%, v3 78.87%, v5 72.46%; then v1 (a sales manager's); v4 is rejected.
  assert.equal(
    ranked.map((v) => [v.key, v.rank, v.priced?.marginBps ?? null]),
    [
      ['v2', 1, 8640],
      ['v3', 2, 7887],
      ['v5', 3, 7246],
      ['v1', 4, 7464],
      ['v4', 5, null],
    ],
  );
  const v1 = ranked.find((v) => v.key === 'v1')!;
  assert.equal(v1.delta, {
    netMinor: -1_830_000,
    discountBps: 2500,
    marginBps: v1.priced!.marginBps - baseEval.priced.marginBps,
    approval: { from: null, to: 'sales_manager' },
  });
  const v4 = ranked.find((v) => v.key === 'v4')!;
  assert.equal(
    v4.violations.map((x) => x.code),
    ['CPQ_REQUIRES', 'CPQ_REQUIRES'],
  );
  assert.is(v4.priced, undefined, 'a rejected variant is not priced');
  // Evaluated in reverse (as parallel jobs may finish), the comparison is the same.
  assert.equal(rankVariants(evaluate().reverse()), ranked);
});

test('catalogue validation names the field: duplicate skus, unknown references, unbounded middle bands', () => {
  const bad = (patch: (c: any) => void) => {
    const c = structuredClone(cat) as any;
    patch(c);
    const r = catalogueSchema.safeParse(c);
    assert.not.ok(r.success);
    return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  };
  assert.match(
    bad((c) => c.products.push({ ...c.products[0] })),
    /products\.10\.sku: duplicate sku plan-starter/,
  );
  assert.match(
    bad((c) => (c.products[5].requiresOneOf = ['plan-gold'])),
    /products\.5\.requiresOneOf\.0: unknown sku plan-gold/,
  );
  assert.match(
    bad((c) => (c.products[3].tiers.bands[1].upTo = null)),
    /products\.3\.tiers\.bands\.1\.upTo: only the last band is unbounded/,
  );
});

test.run();
