// The SimCity pack's main-thread half (runbook 001): its contract, the runbook's scenarios (run
// by their bare names, as the runbook types them) and its routes and dashboard page.
import { type PackModule } from '../../runtime/sdk.js';
import { packScenarioDir } from '../scenario-dir.js';
import { CHAOS_EVENT_SCHEMAS } from './chaos-events.js';
import { simcityRoutes } from './http.js';
import { SIMCITY_INVARIANTS } from './invariants.js';
import { SIMCITY_METRICS } from './metrics.js';
import { SIMCITY_PANELS } from './panels.js';
import { simcityPoliciesSchema } from './policies.js';

export const simcityModule: PackModule = {
  name: 'simcity',
  description: 'citizens and vendors booking through a modelled booking system; chaos events and invariant gates (runbook 001)',
  model: { url: new URL('./pack.js', import.meta.url).href, export: 'simcityPack' },
  contract: {
    invariants: SIMCITY_INVARIANTS,
    policies: simcityPoliciesSchema,
    events: CHAOS_EVENT_SCHEMAS,
    scenarios: { dir: packScenarioDir('simcity'), default: 'baseline', bareNames: true },
  },
  surfaces: {
    http: simcityRoutes,
    page: '/admin/simcity',
    metrics: SIMCITY_METRICS,
    panels: SIMCITY_PANELS,
  },
};
