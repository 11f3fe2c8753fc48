// The SimCity pack's model (runbook 001): citizens book slots with vendors through a modelled booking
// system, under chaos events, judged by invariant gates. Each partition holds one API node, one
// spawner and its share of the vendor directory; citizens arrive over time.
import type { PackModel } from '../../runtime/sdk.js';
import { apiNode, type ApiNodeState } from './sim/api-node.js';
import { citizen, type CitizenState } from './sim/citizen.js';
import { integrityAudit } from './sim/integrity-audit.js';
import { simcityKpis } from './sim/kpis.js';
import { policy } from './sim/policies.js';
import { spawner } from './sim/spawner.js';
import { vendor } from './sim/vendor.js';

export const simcityModel: PackModel = {
  name: 'simcity',
  description: 'citizens and vendors booking through a modelled booking system; chaos events and invariant gates',
  kinds: [apiNode, spawner, vendor, citizen],
  setup(ctx) {
    // Spawn order fixes the ids in layout.ts: API node, spawner, then vendors.
    ctx.spawn('api-node');
    ctx.spawn('spawner');
    const vendors = policy(ctx, 'vendors');
    for (let index = ctx.partition; index < vendors; index += ctx.partitions) ctx.spawn('vendor', { index });
    const residents = policy(ctx, 'initialCitizens');
    for (let i = ctx.partition; i < residents; i += ctx.partitions) ctx.spawn('citizen', { spawner: -1 });
  },
  reporters: [
    {
      metric: 'simcity.active_agents',
      combine: 'sum',
      measure(view) {
        let n = 0;
        view.forEachActor((kind, state) => {
          if (kind === 'citizen' && (state as CitizenState).phase !== 'done') n++;
        });
        return n;
      },
    },
    {
      metric: 'simcity.citizens',
      combine: 'sum',
      measure(view) {
        let n = 0;
        view.forEachActor((kind) => (n += kind === 'citizen' ? 1 : 0));
        return n;
      },
    },
    {
      metric: 'simcity.vendors_open',
      combine: 'max',
      measure(view) {
        let open = 0;
        view.forEachActor((kind, state) => {
          if (kind === 'api-node') open = Math.floor((state as ApiNodeState).vendorsOpen);
        });
        return open;
      },
    },
    {
      metric: 'cache.fill_pct',
      combine: 'min',
      measure(view) {
        let fill = 100;
        view.forEachActor((kind, state) => {
          if (kind === 'api-node') fill = Math.round((state as ApiNodeState).cache.fill * 1000) / 10;
        });
        return fill;
      },
    },
  ],
  audits: [integrityAudit],
  kpis: simcityKpis,
};
