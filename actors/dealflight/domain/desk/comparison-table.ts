// The comparison as a plain-text table for the CLI: the base quote, then each variant in rank
// order with its changes, net price, deltas against the base and the approval it needs.
import { formatBps, formatMinor } from '../cpq/money.js';
import { approvalOf, approvalText, describeChange, signedBps, signedMinor } from '../simulator/describe.js';
import type { Comparison } from './deal-desk.js';

export function comparisonTable(c: Comparison, currency: string): string {
  const header = ['rank', 'variant', 'changes', 'net', 'Δ net', 'discount', 'margin', 'Δ margin', 'approval'];
  const base = [
    '-',
    'base',
    c.quote.id,
    formatMinor(c.base.priced.netMinor, currency),
    '',
    formatBps(c.base.priced.discountBps),
    formatBps(c.base.priced.marginBps),
    '',
    approvalText(c.base.policy),
  ];
  const rows = c.variants.map((v) => [
    String(v.rank),
    v.key,
    v.changes.map(describeChange).join(', '),
    v.priced ? formatMinor(v.priced.netMinor, currency) : '-',
    v.delta ? signedMinor(v.delta.netMinor, currency) : '-',
    v.priced ? formatBps(v.priced.discountBps) : '-',
    v.priced ? formatBps(v.priced.marginBps) : '-',
    v.delta ? signedBps(v.delta.marginBps) : '-',
    approvalOf(v),
  ]);
  const table = [header, base, ...rows];
  const widths = header.map((_, i) => Math.max(...table.map((r) => r[i].length)));
  const lines = table.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
  return [`scenario run ${c.runId}`, ...lines].join('\n');
}
