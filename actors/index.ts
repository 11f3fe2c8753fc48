// The pack registry: every pack this build ships, as the composition root (runtime/cli/main.ts)
// hands it to the runtime and the server. A new pack is a folder under actors/ and one line here.
import { PackCatalogue } from '../runtime/sdk.js';
import { crmModule } from './crm/module.js';
import { dealflightModule } from './dealflight/module.js';
import { execModule } from './exec/module.js';
import { ledgerModule } from './ledger/module.js';
import { probeModule } from './probe/module.js';
import { rebalanceModule } from './rebalance/module.js';
import { simcityModule } from './simcity/module.js';
import { workloadModule } from './workload/module.js';

export const PACKS = new PackCatalogue([simcityModule, dealflightModule, crmModule, execModule, rebalanceModule, ledgerModule, probeModule, workloadModule]);
