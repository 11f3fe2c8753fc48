// Words for a comparison, shared by the CLI table and the Slack card: a variant's changes as the
// rep typed them, signed money and percentage deltas, and the approval a variant needs.
import { formatBps, formatMinor, type Bps, type Minor } from '../cpq/money.js';
import type { Change } from './grammar.js';
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

/** `auto-approved`, `needs <approver>`, or `rejected: <constraint codes>`. */
export function approvalOf(v: EvaluatedVariant): string {
  if (!v.policy) return `rejected: ${v.violations.map((x) => x.code).join(', ')}`;
  return v.policy.status === 'auto_approved' ? 'auto-approved' : `needs ${v.policy.approvers[v.policy.approvers.length - 1]}`;
}
