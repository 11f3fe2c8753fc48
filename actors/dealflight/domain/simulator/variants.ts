// What-if variants of a quote: each applies its changes to the base quote, is checked against the
// constraints, priced and judged by policy, and compared with the base. Pure functions of
// (catalogue, quote, variant), so evaluating variants in parallel, on any thread, in any order,
// gives the same comparison.
import type { Catalogue, Quote } from '../cpq/catalogue.js';
import { checkConstraints, type ConstraintViolation } from '../cpq/constraints.js';
import { evaluatePolicy, type PolicyResult } from '../cpq/policy.js';
import { priceQuote, type PricedQuote } from '../cpq/pricing.js';
import type { Minor, Bps } from '../cpq/money.js';
import type { Change } from './grammar.js';

export interface Delta {
  netMinor: Minor;
  discountBps: Bps;
  marginBps: Bps;
  /** The most senior approver needed, before and after. */
  approval: { from: string | null; to: string | null };
}

export interface EvaluatedVariant {
  key: string;
  changes: Change[];
  quote: Quote;
  violations: ConstraintViolation[];
  priced?: PricedQuote;
  policy?: PolicyResult;
  delta?: Delta;
  /** 1 = best, set by rankVariants. */
  rank: number;
}

export function applyChanges(base: Quote, changes: readonly Change[]): Quote {
  const q: Quote = { ...base, lines: base.lines.map((l) => ({ ...l })) };
  for (const c of changes) {
    switch (c.kind) {
      case 'discount':
        q.discountBps = c.bps;
        break;
      case 'term':
        q.termMonths = c.months;
        break;
      case 'qty':
      case 'add': {
        const line = q.lines.find((l) => l.sku === c.sku);
        if (line) line.qty = c.qty;
        else q.lines.push({ sku: c.sku, qty: c.qty });
        break;
      }
      case 'remove':
        q.lines = q.lines.filter((l) => l.sku !== c.sku);
        break;
    }
  }
  return q;
}

export interface BaseEvaluation {
  priced: PricedQuote;
  policy: PolicyResult;
}

export function evaluateBase(catalogue: Catalogue, quote: Quote): BaseEvaluation {
  const priced = priceQuote(catalogue, quote);
  return { priced, policy: evaluatePolicy(catalogue, priced) };
}

export function evaluateVariant(
  catalogue: Catalogue,
  base: Quote,
  baseEval: BaseEvaluation,
  variant: { key: string; changes: Change[] },
): EvaluatedVariant {
  const quote = applyChanges(base, variant.changes);
  const violations = checkConstraints(catalogue, quote);
  if (violations.length > 0) return { key: variant.key, changes: variant.changes, quote, violations, rank: 0 };
  const priced = priceQuote(catalogue, quote);
  const policy = evaluatePolicy(catalogue, priced);
  const top = (p: PolicyResult) => p.approvers[p.approvers.length - 1] ?? null;
  const delta: Delta = {
    netMinor: priced.netMinor - baseEval.priced.netMinor,
    discountBps: priced.discountBps - baseEval.priced.discountBps,
    marginBps: priced.marginBps - baseEval.priced.marginBps,
    approval: { from: top(baseEval.policy), to: top(policy) },
  };
  return { key: variant.key, changes: variant.changes, quote, violations, priced, policy, delta, rank: 0 };
}

/**
 * The comparison's order, documented and total: valid variants before rejected ones; then the
 * least senior approval needed (none first); then the higher margin; then the higher net price;
 * then the variant key. Returns a new array with `rank` set from 1.
 */
export function rankVariants(variants: readonly EvaluatedVariant[]): EvaluatedVariant[] {
  const sorted = [...variants].sort((a, b) => {
    const valid = Number(b.violations.length === 0) - Number(a.violations.length === 0);
    if (valid !== 0) return valid;
    if (a.priced && b.priced && a.policy && b.policy) {
      if (a.policy.approvalLevel !== b.policy.approvalLevel) return a.policy.approvalLevel - b.policy.approvalLevel;
      if (a.priced.marginBps !== b.priced.marginBps) return b.priced.marginBps - a.priced.marginBps;
      if (a.priced.netMinor !== b.priced.netMinor) return b.priced.netMinor - a.priced.netMinor;
    }
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });
  return sorted.map((v, i) => ({ ...v, rank: i + 1 }));
}
