// The ledger pack's registration: its contract and scenario folder.
import { z } from 'zod';
import type { PackModule } from '../../runtime/sdk.js';
import { packScenarioDir } from '../scenario-dir.js';

const amount = z.number().int().min(0).max(1e12);

export const ledgerPack: PackModule = {
  name: 'ledger',
  description: 'accounts transferring money across partitions; conservation invariants (the reference pack)',
  model: { url: new URL('./model.js', import.meta.url).href, export: 'ledgerModel' },
  contract: {
    invariants: {},
    policies: z
      .strictObject({
        // A request makes this many actors: bounded so that one body cannot take the host's memory.
        accounts: z.number().int().min(1).max(2_000_000),
        initialBalance: amount,
        maxTransfer: amount,
        transferEveryMs: z.number().int().min(1).max(1e9),
        transitMaxMs: z.number().int().min(0).max(1e9),
        // The least transit time (and the pack's lookahead); above transitMaxMs it is the time.
        transitMinMs: z.number().int().min(0).max(1e9),
      })
      .partial(),
    events: {},
    scenarios: { dir: packScenarioDir('ledger'), default: 'ledger' },
    actorsAtStart: (p) => Number(p.accounts ?? 0),
  },
  surfaces: {
    limits: [{ what: 'accounts per run', limit: '2,000,000 (`accounts`)', where: '`actors/ledger/pack.ts` contract' }],
    panels: [
      {
        kind: 'tile',
        title: 'total balance',
        metric: 'ledger.balance_total',
        statistic: 'value',
        gate: 'ledger_total_conserved',
      },
      {
        kind: 'tile',
        title: 'lowest balance',
        metric: 'ledger.balance_min',
        statistic: 'value',
        gate: 'ledger_no_negative_balance',
      },
      { kind: 'chart', title: 'transfer p99 per interval', metric: 'ledger.transfer_amount', statistic: 'p99' },
    ],
  },
};
