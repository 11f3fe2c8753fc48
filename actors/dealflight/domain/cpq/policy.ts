// Deal desk policy: a discount above a threshold, or a margin below one, makes a quote need an
// approver. Thresholds and approvers are catalogue data (config), not code.
import type { Bps } from './money.js';
import type { Catalogue } from './catalogue.js';
import type { PricedQuote } from './pricing.js';

export interface PolicyResult {
  status: 'auto_approved' | 'approval_required';
  /** Every approver needed, most senior last. */
  approvers: string[];
  /** Index of the most senior approver in approverLevels; -1 when none is needed. */
  approvalLevel: number;
  reasons: string[];
}

export function evaluatePolicy(catalogue: Catalogue, priced: PricedQuote): PolicyResult {
  const { discountApprovals, minMargin, approverLevels } = catalogue.policy;
  const needed = new Set<string>();
  const reasons: string[] = [];
  // The highest discount threshold crossed decides (strictly above: 20.00% exactly needs nobody at a 20% threshold).
  const crossed = discountApprovals
    .filter((a) => priced.discountBps > a.aboveBps)
    .sort((a, b) => b.aboveBps - a.aboveBps)[0];
  if (crossed) {
    needed.add(crossed.approver);
    reasons.push(`discount ${pct(priced.discountBps)} is above ${pct(crossed.aboveBps)}`);
  }
  if (priced.netMinor > 0 && priced.marginBps < minMargin.belowBps) {
    needed.add(minMargin.approver);
    reasons.push(`margin ${pct(priced.marginBps)} is below ${pct(minMargin.belowBps)}`);
  }
  const approvers = [...needed].sort((a, b) => approverLevels.indexOf(a) - approverLevels.indexOf(b));
  return {
    status: approvers.length > 0 ? 'approval_required' : 'auto_approved',
    approvers,
    approvalLevel: approvers.length > 0 ? approverLevels.indexOf(approvers[approvers.length - 1]) : -1,
    reasons,
  };
}

function pct(bps: Bps): string {
  return `${+(bps / 100).toFixed(2)}%`;
}
