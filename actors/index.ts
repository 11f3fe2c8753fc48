// The pack registry: every pack this build ships, as the composition root (cli/main.ts)
// hands it to the runtime and the server. A new pack is a folder under actors/ and one line here.
import { PackCatalogue } from '../runtime/sdk.js';
import { crmPack } from './crm/pack.js';
import { dealflightPack } from './dealflight/pack.js';
import { execPack } from './exec/pack.js';
import { ledgerPack } from './ledger/pack.js';
import { probePack } from './probe/pack.js';
import { rebalancePack } from './rebalance/pack.js';
import { simcityPack } from './simcity/pack.js';
import { workloadPack } from './workload/pack.js';

export const PACKS = new PackCatalogue([
  simcityPack,
  dealflightPack,
  crmPack,
  execPack,
  rebalancePack,
  ledgerPack,
  probePack,
  workloadPack,
]);
