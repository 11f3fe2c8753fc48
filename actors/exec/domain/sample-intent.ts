// A plausible order intent, as a trading agent would decide it: one of a few symbols near its
// price level, either side, a round quantity, 30% limit orders straddling the market (some
// marketable, some resting). The backtest's traders and `tickwork exec publish-sample` use it.
import type { Rng } from '../../../runtime/sdk.js';

const SYMBOLS: readonly [string, number][] = [
  ['AAPL', 190],
  ['MSFT', 410],
  ['NVDA', 880],
  ['SPY', 520],
  ['TSLA', 175],
];
const STRATEGIES = ['momentum', 'mean-reversion', 'pairs'];

export function sampleIntent(rng: Rng, intentId: string, createdAt: string, limitShare = 0.3): Record<string, unknown> {
  const [symbol, level] = rng.pick(SYMBOLS);
  const reference = Math.round(level * (1 + (rng.float() - 0.5) * 0.02) * 100) / 100;
  const limit = rng.chance(limitShare);
  const side = rng.chance(0.5) ? 'buy' : 'sell';
  return {
    schema_version: 1,
    intent_id: intentId,
    correlation_id: `corr-${intentId}`,
    strategy: rng.pick(STRATEGIES),
    symbol,
    side,
    quantity: rng.int(1, 50) * 10,
    order_type: limit ? 'limit' : 'market',
    ...(limit
      ? {
          limit_price:
            Math.round(reference * (1 + (rng.float() - 0.4) * 0.004 * (side === 'buy' ? 1 : -1)) * 100) / 100,
        }
      : {}),
    reference_price: reference,
    time_in_force: 'day',
    created_at: createdAt,
  };
}
