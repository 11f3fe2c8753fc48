// Quotes a fresh store starts with, against the sample catalogue.
import type { Quote } from './catalogue.js';

export const SAMPLE_QUOTES: readonly Quote[] = [
  {
    id: 'Q-1001',
    termMonths: 12,
    discountBps: 0,
    lines: [
      { sku: 'plan-pro', qty: 1 },
      { sku: 'seats', qty: 120 },
      { sku: 'sso', qty: 1 },
    ],
  },
  {
    id: 'Q-1002',
    termMonths: 36,
    discountBps: 1000,
    lines: [
      { sku: 'plan-enterprise', qty: 1 },
      { sku: 'seats', qty: 800 },
      { sku: 'sso', qty: 1 },
      { sku: 'audit-log', qty: 1 },
      { sku: 'onboarding', qty: 1 },
    ],
  },
  {
    id: 'Q-1003',
    termMonths: 12,
    discountBps: 0,
    lines: [
      { sku: 'plan-starter', qty: 1 },
      { sku: 'seats', qty: 12 },
    ],
  },
];
