// A synthetic trading agent for backtests (`tickwork run exec`): every few sim seconds it decides
// an order (sample-intent.ts) and sends the intent to the desk its id maps to, as an agent
// publishing on decisions.order_intent would. Now and then it forgets the correlation id.
import { defineKind, exponential, isoTime, partitionOfName } from '../../../runtime/sdk.js';
import { sampleIntent } from '../domain/sample-intent.js';
import type { ExecMessage } from './messages.js';
import { execPolicy } from './policies.js';

export interface TraderState {
  index: number;
  sent: number;
}

/** Sim time 0 on the agents' calendar: 2026-01-05 14:30 UTC (a market open). */
const EPOCH_MS = Date.UTC(2026, 0, 5, 14, 30);

export const trader = defineKind<TraderState, ExecMessage, { index: number }>({
  name: 'trader',
  onFailure: 'restart',
  init: (args) => ({ index: args.index, sent: 0 }),
  receive(state, input, ctx) {
    if (input.type !== 'start' && input.type !== 'wake') return;
    if (input.type === 'wake') {
      const intentId = `T${state.index}-${++state.sent}`;
      const intent = sampleIntent(ctx.rng, intentId, isoTime(EPOCH_MS + ctx.now), execPolicy(ctx, 'limitShare'));
      if (ctx.rng.chance(execPolicy(ctx, 'invalidShare'))) delete intent.correlation_id;
      // Desks are spawned first in each partition, so partition p's desk has id p.
      ctx.send(partitionOfName(intentId, ctx.partitions), { op: 'intent', raw: intent });
    }
    ctx.wakeAt(ctx.now + Math.max(1, Math.round(exponential(ctx.rng, execPolicy(ctx, 'intentEveryMs')))));
  },
});
