// The product catalogue and quotes, as data validated at the edge (zod). Prices are integer minor
// units per unit: per month for recurring products, once for one-time ones.
import { z } from 'zod';

const minor = z.number().int().min(0).max(1e12);
const sku = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'lower-case letters, digits and -');

const tier = z.strictObject({
  /** Inclusive upper bound of the tier's quantities; null: no bound (the last tier). */
  upTo: z.number().int().positive().nullable(),
  unitPriceMinor: minor,
});

export const productSchema = z.strictObject({
  sku,
  name: z.string().min(1).max(100),
  billing: z.enum(['recurring', 'one_time']),
  listPriceMinor: minor,
  /** What one unit costs the vendor (same period as the price): margin is judged against it. */
  unitCostMinor: minor,
  /**
   * Volume pricing. `range`: every unit at the tier the whole quantity falls in; `slab`: each unit at its own slab's
   * price.
   */
  tiers: z.strictObject({ method: z.enum(['range', 'slab']), bands: z.array(tier).min(1).max(20) }).optional(),
  minQty: z.number().int().min(0).default(1),
  maxQty: z.number().int().positive().max(1_000_000).default(1_000_000),
  requires: z.array(sku).max(20).default([]),
  /** At least one of these must be on the quote too (e.g. an add-on needing one of two plans). */
  requiresOneOf: z.array(sku).max(20).default([]),
  incompatibleWith: z.array(sku).max(20).default([]),
});

export const catalogueSchema = z
  .strictObject({
    currency: z.string().regex(/^[A-Z]{3}$/),
    products: z.array(productSchema).min(1).max(10_000),
    termMonths: z.strictObject({ min: z.number().int().positive(), max: z.number().int().positive().max(120) }),
    policy: z.strictObject({
      /** Discounts above each threshold need that approver; the highest crossed wins. */
      discountApprovals: z
        .array(z.strictObject({ aboveBps: z.number().int().min(0).max(10_000), approver: z.string().min(1) }))
        .max(10),
      /** A margin below this needs the named approver. */
      minMargin: z.strictObject({ belowBps: z.number().int().min(-10_000).max(10_000), approver: z.string().min(1) }),
      /** Approvers in rising order of seniority (ranking prefers fewer, more junior approvals). */
      approverLevels: z.array(z.string().min(1)).min(1).max(10),
    }),
  })
  .superRefine((c, ctx) => {
    const skus = new Set<string>();
    c.products.forEach((p, i) => {
      if (skus.has(p.sku))
        ctx.addIssue({ code: 'custom', path: ['products', i, 'sku'], message: `duplicate sku ${p.sku}` });
      skus.add(p.sku);
    });
    c.products.forEach((p, i) => {
      for (const field of ['requires', 'requiresOneOf', 'incompatibleWith'] as const) {
        p[field].forEach((ref, j) => {
          if (!skus.has(ref))
            ctx.addIssue({ code: 'custom', path: ['products', i, field, j], message: `unknown sku ${ref}` });
        });
      }
      const bands = p.tiers?.bands ?? [];
      bands.forEach((b, j) => {
        const last = j === bands.length - 1;
        if (last !== (b.upTo === null))
          ctx.addIssue({
            code: 'custom',
            path: ['products', i, 'tiers', 'bands', j, 'upTo'],
            message: 'only the last band is unbounded (null), and it must be',
          });
        if (j > 0 && b.upTo !== null && bands[j - 1].upTo !== null && b.upTo <= bands[j - 1].upTo!)
          ctx.addIssue({ code: 'custom', path: ['products', i, 'tiers', 'bands', j, 'upTo'], message: 'bands rise' });
      });
    });
    for (const a of c.policy.discountApprovals) {
      if (!c.policy.approverLevels.includes(a.approver))
        ctx.addIssue({
          code: 'custom',
          path: ['policy', 'discountApprovals'],
          message: `approver ${a.approver} is not in approverLevels`,
        });
    }
    if (!c.policy.approverLevels.includes(c.policy.minMargin.approver))
      ctx.addIssue({ code: 'custom', path: ['policy', 'minMargin', 'approver'], message: 'not in approverLevels' });
  });

export const quoteSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/),
  termMonths: z.number().int().positive(),
  /** Quote-level discount on the subtotal. */
  discountBps: z.number().int().min(0).max(10_000).default(0),
  lines: z.array(z.strictObject({ sku, qty: z.number().int().min(0).max(1_000_000) })).max(200),
});

export type Product = z.infer<typeof productSchema>;
export type Catalogue = z.infer<typeof catalogueSchema>;
export type Quote = z.infer<typeof quoteSchema>;

export function productOf(catalogue: Catalogue, sku: string): Product | undefined {
  return catalogue.products.find((p) => p.sku === sku);
}
