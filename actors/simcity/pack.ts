// The SimCity pack's registration (runbook 001): its contract, the runbook's scenarios (run
// by their bare names, as the runbook types them) and its routes and dashboard page.
import type { PackModule } from '../../runtime/sdk.js';
import { packScenarioDir } from '../scenario-dir.js';
import { CHAOS_EVENT_SCHEMAS } from './sim/chaos-events.js';
import { simcityRoutes } from './http/routes.js';
import { SIMCITY_INVARIANTS } from './sim/invariants.js';
import { SIMCITY_METRICS } from './http/metrics.js';
import { SIMCITY_PANELS } from './http/panels.js';
import { SIMCITY_POLICY_DEFAULTS, simcityPoliciesSchema } from './sim/policies.js';

export const simcityPack: PackModule = {
  name: 'simcity',
  description:
    'citizens and vendors booking through a modelled booking system; chaos events and invariant gates (runbook 001)',
  model: { url: new URL('./model.js', import.meta.url).href, export: 'simcityModel' },
  contract: {
    invariants: SIMCITY_INVARIANTS,
    policies: simcityPoliciesSchema,
    events: CHAOS_EVENT_SCHEMAS,
    scenarios: { dir: packScenarioDir('simcity'), default: 'baseline', bareNames: true },
    // Vendors exist from the start; citizens who live in the city from the start, too.
    actorsAtStart: (p) =>
      Number(p.vendors ?? SIMCITY_POLICY_DEFAULTS.vendors) +
      Number(p.initialCitizens ?? SIMCITY_POLICY_DEFAULTS.initialCitizens),
  },
  surfaces: {
    limits: [
      {
        what: 'citizens',
        limit: '1,000,000 (`initialCitizens`, `maxConcurrentAgents`)',
        where: '`actors/simcity/sim/policies.ts`',
      },
      { what: 'vendors', limit: '200,000 (`vendors`)', where: '`actors/simcity/sim/policies.ts`' },
    ],
    http: simcityRoutes,
    page: '/admin/simcity',
    metrics: SIMCITY_METRICS,
    panels: SIMCITY_PANELS,
  },
};
