// The ledger pack's main-thread half: its contract and scenario folder.
import { z } from 'zod';
import type { PackModule } from '../../runtime/packs/pack-module.js';
import { packScenarioDir } from '../scenario-dir.js';

const amount = z.number().int().min(0).max(1e12);

export const ledgerModule: PackModule = {
  name: 'ledger',
  description: 'accounts transferring money across partitions; conservation invariants (the reference pack)',
  worker: { url: new URL('./pack.js', import.meta.url).href, export: 'ledgerPack' },
  contract: {
    invariants: {},
    policies: z.strictObject({
      accounts: z.number().int().min(1).max(10_000_000),
      initialBalance: amount,
      maxTransfer: amount,
      transferEveryMs: z.number().int().min(1).max(1e9),
      transitMaxMs: z.number().int().min(0).max(1e9),
    }).partial(),
    events: {},
  },
  scenarios: { dir: packScenarioDir('ledger'), default: 'ledger' },
};
