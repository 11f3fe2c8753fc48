// Pricing a quote: each line's extended price from its unit price (list, or volume tiers) times
// quantity, times the term for recurring products; the quote discount on the subtotal; cost and
// margin beside it. Integers throughout (money.ts), one rounding per computed amount.
import { applyBps, bpsOf, type Bps, type Minor } from './money.js';
import { productOf, type Catalogue, type Product, type Quote } from './catalogue.js';

export interface PricedLine {
  sku: string;
  qty: number;
  /** The extended price of the line for the whole term (before the quote discount). */
  extendedMinor: Minor;
  /** The average unit price it works out to (per month for recurring lines), for display. */
  effectiveUnitMinor: Minor;
  costMinor: Minor;
}

export interface PricedQuote {
  lines: PricedLine[];
  subtotalMinor: Minor;
  discountBps: Bps;
  discountMinor: Minor;
  netMinor: Minor;
  costMinor: Minor;
  /** (net - cost) / net in basis points; 0 for an empty quote. */
  marginBps: Bps;
}

/** The price of `qty` units for one period (a month, or once), by the product's tiers. */
export function periodPriceMinor(product: Product, qty: number): Minor {
  const tiers = product.tiers;
  if (!tiers) return product.listPriceMinor * qty;
  const bands = tiers.bands;
  if (tiers.method === 'range') {
    const band = bands.find((b) => b.upTo === null || qty <= b.upTo)!;
    return band.unitPriceMinor * qty;
  }
  // slab: units 1..upTo(0) at band 0's price, the next ones at band 1's, and so on.
  let total = 0;
  let priced = 0;
  for (const band of bands) {
    if (priced >= qty) break;
    const top = band.upTo === null ? qty : Math.min(qty, band.upTo);
    total += (top - priced) * band.unitPriceMinor;
    priced = top;
  }
  return total;
}

export function priceQuote(catalogue: Catalogue, quote: Quote): PricedQuote {
  const lines = quote.lines.map((line): PricedLine => {
    const product = productOf(catalogue, line.sku);
    if (!product) throw new RangeError(`unknown sku ${line.sku}`); // constraints reject it first
    const periods = product.billing === 'recurring' ? quote.termMonths : 1;
    const period = periodPriceMinor(product, line.qty);
    return {
      sku: line.sku,
      qty: line.qty,
      extendedMinor: period * periods,
      effectiveUnitMinor: line.qty === 0 ? 0 : Math.round(period / line.qty),
      costMinor: product.unitCostMinor * line.qty * periods,
    };
  });
  const subtotalMinor = lines.reduce((n, l) => n + l.extendedMinor, 0);
  const discountMinor = applyBps(subtotalMinor, quote.discountBps);
  const netMinor = subtotalMinor - discountMinor;
  const costMinor = lines.reduce((n, l) => n + l.costMinor, 0);
  return {
    lines,
    subtotalMinor,
    discountBps: quote.discountBps,
    discountMinor,
    netMinor,
    costMinor,
    marginBps: bpsOf(netMinor - costMinor, netMinor),
  };
}
