// How an order becomes fills, after the backtesting engines traders know: a latency model (when
// each fill lands: hftbacktest splits entry and response latency; here one delay per fill, from
// decision to fill) and a fill model (how much fills and at what price: NautilusTrader's
// FillModel decides fill and slippage per order). Deterministic per (run seed, intent id): the
// caller hands the intent's own named stream, so a redelivered intent re-creates its fills.
//
// `uniform` is the runbook's: each fill's delay uniform in [minDelayMs, maxDelayMs], a partial
// fill with `partialFillChance` (then 2-4 fills summing exactly to the quantity: in whole lots
// when the quantity is a whole number of its symbol's lot, 1 by default, so a consumer's plain
// sum of 30 shares' fills is 30; in millionths only when the quantity itself is fractional), slippage
// uniform in [0, slippageBps] against the side. `size-aware` makes large orders slower and
// dearer: delay and slippage scale with sqrt(quantity / typicalQuantity) (the square-root impact
// law), and large orders fill in more pieces.
import type { Rng } from '../../../runtime/sdk.js';
import type { OrderIntent } from './order-intent.js';

export interface FillConfig {
  model: 'uniform' | 'size-aware';
  minDelayMs: number;
  maxDelayMs: number;
  partialFillChance: number;
  slippageBps: number;
  /** size-aware: the quantity at which it behaves like uniform. */
  typicalQuantity: number;
  /** The smallest tradable quantity of a symbol: partial fills are whole multiples of it. */
  lotSize: (symbol: string) => number;
}

export interface PlannedFill {
  ordinal: number;
  /** From the intent's arrival to this fill, sim ms. */
  delayMs: number;
  quantity: number;
  price: number;
  /** Against the side: a buy pays more, a sell gets less. */
  slippageBps: number;
}

export interface FillPlan {
  fills: PlannedFill[];
  /** A limit order the market has not reached: it does not fill (reconciled as unfilled). */
  unfilled: boolean;
  /** When the reconcile event follows: the last fill, or the latency of the refusal. */
  doneAfterMs: number;
}

/** Quantities carry 6 decimals at most; prices 6 as well. */
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** Split `total` whole units into at most `pieces` parts of at least one unit each that sum to it. */
function splitUnits(total: number, pieces: number, rng: Rng): number[] {
  if (pieces <= 1 || total < 2) return [total];
  const parts = Math.min(pieces, total);
  const cuts = new Set<number>();
  while (cuts.size < parts - 1) cuts.add(rng.int(1, total - 1));
  const points = [0, ...[...cuts].sort((a, b) => a - b), total];
  return points.slice(1).map((p, i) => p - points[i]);
}

/**
 * Split `quantity` into `pieces` positive parts that sum to it: whole lots when it is a whole
 * number of lots (integers stay integers, so any consumer's sum is exact), else millionths.
 */
function split(quantity: number, pieces: number, lot: number, rng: Rng): number[] {
  const lots = Math.round(quantity / lot);
  if (Math.abs(lots * lot - quantity) <= 1e-9 * Math.max(1, quantity)) {
    const decimals = Math.max(0, -Math.floor(Math.log10(lot) + 1e-9));
    return splitUnits(lots, pieces, rng).map((n) => (lot >= 1 ? n * lot : Number((n * lot).toFixed(decimals))));
  }
  return splitUnits(Math.round(quantity * 1e6), pieces, rng).map((m) => m / 1e6);
}

export function planFills(intent: OrderIntent, config: FillConfig, rng: Rng): FillPlan {
  const scale = config.model === 'size-aware' ? Math.sqrt(Math.max(intent.quantity, 1e-9) / config.typicalQuantity) : 1;
  const delay = () =>
    Math.round((config.minDelayMs + rng.float() * (config.maxDelayMs - config.minDelayMs)) * Math.min(scale, 10));
  const sign = intent.side === 'buy' ? 1 : -1;
  // A limit order away from the market rests: it does not fill here (no order book is simulated).
  if (intent.order_type === 'limit' && sign * (intent.reference_price - intent.limit_price!) > 0) {
    return { fills: [], unfilled: true, doneAfterMs: delay() };
  }
  const partial = rng.chance(config.partialFillChance);
  const pieces = partial
    ? rng.int(2, config.model === 'size-aware' ? Math.max(2, Math.min(10, Math.round(2 + scale * 2))) : 4)
    : 1;
  const quantities = split(intent.quantity, pieces, config.lotSize(intent.symbol), rng);
  const delays = quantities.map(delay).sort((a, b) => a - b);
  const fills = quantities.map((quantity, ordinal) => {
    let slippageBps = rng.float() * config.slippageBps * Math.min(scale, 10);
    let price = intent.reference_price * (1 + (sign * slippageBps) / 10_000);
    // At the limit or better, never worse.
    if (intent.order_type === 'limit' && sign * (price - intent.limit_price!) > 0) {
      price = intent.limit_price!;
      slippageBps = (sign * (price - intent.reference_price) * 10_000) / intent.reference_price;
    }
    return {
      ordinal,
      delayMs: delays[ordinal],
      quantity,
      price: round6(price),
      slippageBps: Math.round(slippageBps * 1000) / 1000,
    };
  });
  return { fills, unfilled: false, doneAfterMs: delays[delays.length - 1] };
}

/** The reconcile event's sums: quantity, average price, slippage in bps (quantity-weighted), fill count. */
export function reconcile(intent: OrderIntent, fills: readonly PlannedFill[]) {
  const filled = fills.reduce((s, f) => s + Math.round(f.quantity * 1e6), 0) / 1e6;
  const notional = fills.reduce((s, f) => s + f.quantity * f.price, 0);
  const avgPrice = filled > 0 ? round6(notional / filled) : null;
  const sign = intent.side === 'buy' ? 1 : -1;
  return {
    filled_quantity: filled,
    avg_price: avgPrice,
    slippage_bps:
      avgPrice === null
        ? null
        : Math.round(((sign * (avgPrice - intent.reference_price)) / intent.reference_price) * 10_000 * 1000) / 1000,
    fill_count: fills.length,
  };
}
