// The execution simulator's model (runbook 003): a desk per partition routing intents by id,
// an order actor per valid intent producing its fills over sim time, and synthetic traders for
// backtests.
import type { PackModel } from '../../runtime/sdk.js';
import { desk } from './sim/desk.js';
import { order } from './sim/order.js';
import { execKpis } from './sim/kpis.js';
import { execPolicy } from './sim/policies.js';
import { trader } from './sim/trader.js';

export const execModel: PackModel = {
  name: 'exec',
  description: 'order intents to fills with delays, partial fills and slippage (runbook 003)',
  kinds: [desk, order, trader],
  setup(ctx) {
    // First in every partition, so partition p's desk has id p (resolveName and the traders rely on it).
    ctx.spawn('desk', { seed: ctx.seed });
    const traders = execPolicy(ctx, 'traders');
    for (let i = ctx.partition; i < traders; i += ctx.partitions) ctx.spawn('trader', { index: i });
  },
  kpis: execKpis,
};
