// An order: one actor per valid intent, alive from arrival to its reconcile event. Its fills come
// from the intent's own random stream (seed, intent id), land at their sim-time delays, each
// emitted on `executions.fill` with a message id `<intent_id>:fill:<n>`; then one
// `executions.reconcile` sums them. Emitted events are the run's output: the service's outbox
// publishes them to JetStream; a turbo backtest reads them from the bus or the summary.
import { defineKind, namedRng } from '../../../runtime/sdk.js';
import { planFills, reconcile, type FillPlan } from '../domain/fill-model.js';
import type { OrderIntent } from '../domain/order-intent.js';
import { messageId, SUBJECTS } from './messages.js';
import { fillConfig } from './policies.js';

export interface OrderState {
  intent: OrderIntent;
  seed: number;
  arrivedAt: number;
  plan?: FillPlan;
  next: number;
}

export const order = defineKind<OrderState, never, { intent: OrderIntent; seed: number; arrivedAt: number }>({
  name: 'order',
  onFailure: 'stop',
  init: (args) => ({ intent: args.intent, seed: args.seed, arrivedAt: args.arrivedAt, next: 0 }),
  receive(state, input, ctx) {
    const { intent } = state;
    if (input.type === 'start') {
      state.plan = planFills(intent, fillConfig(ctx), namedRng(state.seed, intent.intent_id));
      const first = state.plan.fills[0]?.delayMs ?? state.plan.doneAfterMs;
      ctx.wakeAt(state.arrivedAt + first);
      return;
    }
    if (input.type !== 'wake' || !state.plan) return;
    const { fills } = state.plan;
    // Every fill now due (several can share a tick).
    while (state.next < fills.length && state.arrivedAt + fills[state.next].delayMs <= ctx.now) {
      const f = fills[state.next++];
      const fillType = fills.length > 1 ? 'partial' : 'full';
      ctx.count(`exec.fills_${fillType}`);
      ctx.emit(SUBJECTS.fill, {
        msg_id: messageId(intent.intent_id, `fill.${f.ordinal}`),
        intent_id: intent.intent_id,
        correlation_id: intent.correlation_id,
        strategy: intent.strategy,
        symbol: intent.symbol,
        side: intent.side,
        fill_type: fillType,
        ordinal: f.ordinal,
        quantity: f.quantity,
        price: f.price,
        slippage_bps: f.slippageBps,
        latency_ms: f.delayMs,
      });
    }
    if (state.next < fills.length) {
      ctx.wakeAt(state.arrivedAt + fills[state.next].delayMs);
      return;
    }
    const sums = reconcile(intent, fills);
    const latency = state.plan.doneAfterMs;
    ctx.count(state.plan.unfilled ? 'exec.orders_unfilled' : 'exec.orders_filled');
    ctx.observe('exec.simulation_ms', Math.max(1, latency));
    ctx.emit(SUBJECTS.reconcile, {
      msg_id: messageId(intent.intent_id, 'reconcile'),
      intent_id: intent.intent_id,
      correlation_id: intent.correlation_id,
      symbol: intent.symbol,
      side: intent.side,
      status: state.plan.unfilled ? 'unfilled' : 'filled',
      ...sums,
      latency_ms: latency,
    });
    ctx.stop();
  },
});
