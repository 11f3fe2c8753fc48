// The ledger pack's model: the runtime's own conformance workload. N accounts send random transfers to
// random accounts across partitions; the total balance must never change and no balance may go
// negative, whatever the worker count, pace or interruption.
import type { PackModel } from '../../runtime/sdk.js';
import { account, type AccountState } from './sim/account.js';

export const ledgerModel: PackModel = {
  name: 'ledger',
  description: 'accounts transferring money across partitions; conservation invariants',
  kinds: [account],
  setup(ctx) {
    const accounts = ctx.param<number>('accounts');
    const balance = ctx.param<number>('initialBalance');
    // Account i lives in partition i % partitions, so spawn order makes its id equal to i.
    for (let i = ctx.partition; i < accounts; i += ctx.partitions) ctx.spawn('account', { balance });
  },
  reporters: [
    {
      metric: 'ledger.balance_total',
      combine: 'sum',
      measure(view) {
        let total = 0;
        view.forEachActor((_kind, state) => (total += (state as AccountState).balance));
        view.forEachInFlight((m) => (total += typeof m.body === 'number' ? m.body : 0));
        return total;
      },
    },
    {
      metric: 'ledger.balance_min',
      combine: 'min',
      measure(view) {
        let min = Infinity;
        view.forEachActor((_kind, state) => (min = Math.min(min, (state as AccountState).balance)));
        return min;
      },
    },
  ],
};
