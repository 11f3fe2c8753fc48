// SimCRM's model (runbook 002): one simulation actor (planner and gateway) and the
// in-process CRM it talks to when the sink is the model.
import type { PackModel } from '../../runtime/sdk.js';
import { crmKpis } from './sim/kpis.js';
import { inProcessCrm } from './sim/crm-model.js';
import { CRM_REPORTERS } from './sim/reporters.js';
import { simulation } from './sim/simulation.js';

export const crmModel: PackModel = {
  name: 'crm',
  description: 'synthetic CRM records into a rate-limited CRM API, with retries, a DLQ and thinning (runbook 002)',
  kinds: [simulation, inProcessCrm],
  setup(ctx) {
    // Ids: the simulation is 0 (first in partition 0), the CRM 1 (first in partition 1, or second in 0).
    if (ctx.partition === 0) ctx.spawn('simulation', { seed: ctx.seed });
    if (ctx.partition === 1 % ctx.partitions) ctx.spawn('crm', {});
  },
  reporters: CRM_REPORTERS,
  kpis: crmKpis,
};
