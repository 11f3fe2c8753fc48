// A ledger account: wakes at random intervals and transfers a random part of its balance to a
// random account, anywhere in the ledger. Money only moves in messages, so a lost, duplicated or
// reordered message shows up as a change in the total.
import { defineKind } from '../../../runtime/sdk.js';

export interface AccountState {
  balance: number;
  sent: number;
  received: number;
}

export interface AccountArgs {
  balance: number;
}

export const account = defineKind<AccountState, number, AccountArgs>({
  name: 'account',
  onFailure: 'escalate',
  // Money in transit takes at least transitMinMs: with it set, partitions run that long between barriers.
  crossPartitionDelayMs: (param) => param<number | undefined>('transitMinMs') ?? 0,
  init: (args) => ({ balance: args.balance, sent: 0, received: 0 }),
  receive(state, input, ctx) {
    if (input.type === 'message') {
      state.balance += input.body;
      state.received++;
      return;
    }
    if (input.type === 'wake' && state.balance > 0) {
      const accounts = ctx.param<number>('accounts');
      let to = ctx.rng.int(0, accounts - 2);
      if (to >= ctx.id) to++; // never to itself
      const amount = ctx.rng.int(1, Math.min(state.balance, ctx.param<number>('maxTransfer')));
      state.balance -= amount;
      state.sent++;
      const transitMinMs = ctx.param<number | undefined>('transitMinMs') ?? 0;
      ctx.send(to, amount, ctx.rng.int(transitMinMs, Math.max(transitMinMs, ctx.param<number>('transitMaxMs'))));
      ctx.observe('ledger.transfer_amount', amount);
    }
    const every = ctx.param<number>('transferEveryMs');
    ctx.wakeAt(ctx.now + ctx.rng.int(1, 2 * every));
  },
});
