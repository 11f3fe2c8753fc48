// The catalogue a fresh store is seeded with: a SaaS vendor selling seats on one of three plans,
// add-ons and services. Prices in cents, per seat (or unit) per month for recurring products.
import { catalogueSchema, type Catalogue } from './catalogue.js';

export const SAMPLE_CATALOGUE: Catalogue = catalogueSchema.parse({
  currency: 'USD',
  termMonths: { min: 12, max: 60 },
  policy: {
    discountApprovals: [
      { aboveBps: 2000, approver: 'sales_manager' },
      { aboveBps: 3000, approver: 'vp_finance' },
    ],
    minMargin: { belowBps: 1000, approver: 'finance' },
    approverLevels: ['sales_manager', 'finance', 'vp_finance'],
  },
  products: [
    { sku: 'plan-starter', name: 'Starter plan', billing: 'recurring', listPriceMinor: 0, unitCostMinor: 0, maxQty: 1, incompatibleWith: ['plan-pro', 'plan-enterprise'] },
    { sku: 'plan-pro', name: 'Pro plan', billing: 'recurring', listPriceMinor: 50_000, unitCostMinor: 5_000, maxQty: 1, incompatibleWith: ['plan-starter', 'plan-enterprise'] },
    { sku: 'plan-enterprise', name: 'Enterprise plan', billing: 'recurring', listPriceMinor: 200_000, unitCostMinor: 20_000, maxQty: 1, incompatibleWith: ['plan-starter', 'plan-pro'] },
    {
      sku: 'seats',
      name: 'User seats',
      billing: 'recurring',
      listPriceMinor: 4_500,
      unitCostMinor: 900,
      minQty: 5,
      maxQty: 50_000,
      requiresOneOf: ['plan-starter', 'plan-pro', 'plan-enterprise'],
      tiers: { method: 'slab', bands: [{ upTo: 100, unitPriceMinor: 4_500 }, { upTo: 500, unitPriceMinor: 4_000 }, { upTo: 2_000, unitPriceMinor: 3_500 }, { upTo: null, unitPriceMinor: 3_000 }] },
    },
    {
      sku: 'api-calls',
      name: 'API call packs (100k calls)',
      billing: 'recurring',
      listPriceMinor: 2_000,
      unitCostMinor: 600,
      minQty: 1,
      maxQty: 10_000,
      tiers: { method: 'range', bands: [{ upTo: 10, unitPriceMinor: 2_000 }, { upTo: 100, unitPriceMinor: 1_500 }, { upTo: null, unitPriceMinor: 1_000 }] },
    },
    { sku: 'sso', name: 'Single sign-on', billing: 'recurring', listPriceMinor: 30_000, unitCostMinor: 3_000, maxQty: 1, requiresOneOf: ['plan-pro', 'plan-enterprise'] },
    { sku: 'audit-log', name: 'Audit log retention', billing: 'recurring', listPriceMinor: 20_000, unitCostMinor: 4_000, maxQty: 1, requires: ['plan-enterprise'] },
    { sku: 'support-premium', name: 'Premium support', billing: 'recurring', listPriceMinor: 100_000, unitCostMinor: 60_000, maxQty: 1 },
    { sku: 'onboarding', name: 'Onboarding package', billing: 'one_time', listPriceMinor: 500_000, unitCostMinor: 350_000, maxQty: 3 },
    { sku: 'training-day', name: 'Training day (on site)', billing: 'one_time', listPriceMinor: 250_000, unitCostMinor: 180_000, maxQty: 20 },
  ],
});
