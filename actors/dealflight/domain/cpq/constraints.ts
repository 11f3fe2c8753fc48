// What makes a quote invalid, whatever its price: quantities outside a product's bounds, a term
// outside the catalogue's, a product missing what it requires, or beside one it excludes.
// Violations carry stable codes; a variant that breaks any is rejected, not priced.
import { productOf, type Catalogue, type Quote } from './catalogue.js';

export type ConstraintCode =
  | 'CPQ_UNKNOWN_PRODUCT'
  | 'CPQ_QTY_BOUNDS'
  | 'CPQ_TERM_BOUNDS'
  | 'CPQ_REQUIRES'
  | 'CPQ_INCOMPATIBLE'
  | 'CPQ_DUPLICATE_LINE';

export interface ConstraintViolation {
  code: ConstraintCode;
  sku?: string;
  message: string;
}

export function checkConstraints(catalogue: Catalogue, quote: Quote): ConstraintViolation[] {
  const out: ConstraintViolation[] = [];
  const { min, max } = catalogue.termMonths;
  if (quote.termMonths < min || quote.termMonths > max)
    out.push({ code: 'CPQ_TERM_BOUNDS', message: `term ${quote.termMonths} months is outside ${min}..${max}` });
  const onQuote = new Set<string>();
  for (const line of quote.lines) {
    if (onQuote.has(line.sku))
      out.push({ code: 'CPQ_DUPLICATE_LINE', sku: line.sku, message: `${line.sku} appears twice` });
    onQuote.add(line.sku);
  }
  for (const line of quote.lines) {
    const p = productOf(catalogue, line.sku);
    if (!p) {
      out.push({ code: 'CPQ_UNKNOWN_PRODUCT', sku: line.sku, message: `no product ${line.sku} in the catalogue` });
      continue;
    }
    if (line.qty < p.minQty || line.qty > p.maxQty)
      out.push({
        code: 'CPQ_QTY_BOUNDS',
        sku: p.sku,
        message: `${p.sku} quantity ${line.qty} is outside ${p.minQty}..${p.maxQty}`,
      });
    for (const needed of p.requires)
      if (!onQuote.has(needed)) out.push({ code: 'CPQ_REQUIRES', sku: p.sku, message: `${p.sku} requires ${needed}` });
    if (p.requiresOneOf.length > 0 && !p.requiresOneOf.some((s) => onQuote.has(s))) {
      out.push({ code: 'CPQ_REQUIRES', sku: p.sku, message: `${p.sku} requires one of ${p.requiresOneOf.join(', ')}` });
    }
    for (const excluded of p.incompatibleWith)
      if (onQuote.has(excluded))
        out.push({ code: 'CPQ_INCOMPATIBLE', sku: p.sku, message: `${p.sku} cannot be sold with ${excluded}` });
  }
  return out;
}
