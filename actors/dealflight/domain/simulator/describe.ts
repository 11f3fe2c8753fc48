// Words for a comparison, shared by the CLI table and the Slack card: a variant's changes as the
// rep typed them, signed money and percentage deltas, and the approval a variant needs.
import { formatBps, formatMinor, type Bps, type Minor } from '../cpq/money.js';
import type { Change } from './grammar.js';
import type { PolicyResult } from '../cpq/policy.js';
import type { EvaluatedVariant } from './variants.js';

export function describeChange(c: Change): string {
  switch (c.kind) {
    case 'discount':
      return `discount=${formatBps(c.bps)}`;
    case 'qty':
      return `qty ${c.sku}=${c.qty}`;
    case 'term':
      return `term=${c.months}m`;
    case 'add':
      return `add ${c.sku}=${c.qty}`;
    case 'remove':
      return `remove ${c.sku}`;
  }
}

export function signedMinor(amount: Minor, currency: string): string {
  return `${amount > 0 ? '+' : ''}${formatMinor(amount, currency)}`;
}

export function signedBps(bps: Bps): string {
  return `${bps > 0 ? '+' : ''}${formatBps(bps)}`;
}

/** `auto-approved` or `needs <the most senior approver>`. */
export function approvalText(policy: PolicyResult): string {
  return policy.status === 'auto_approved' ? 'auto-approved' : `needs ${policy.approvers[policy.approvers.length - 1]}`;
}

/** A variant's approval, or `rejected: <constraint codes>` when it broke a constraint. */
export function approvalOf(v: EvaluatedVariant): string {
  return v.policy ? approvalText(v.policy) : `rejected: ${v.violations.map((x) => x.code).join(', ')}`;
}
