// The rebalance pack's registration (runbook 004): the simulation's contract and scenarios
// (`tickwork run rebalance`), its policy job, tables, the policy API and the rollout CLI.
import type { PackModule } from '../../runtime/sdk.js';
import { packScenarioDir } from '../scenario-dir.js';
import { policyRoutes } from './http/policy-routes.js';
import { REBALANCE_COMMANDS } from './cli/commands.js';
import { PLAN_JOB } from './sim/plan-job.js';
import { REBALANCE_MIGRATIONS } from './store/migrations.js';
import { SIM_EVENT_SCHEMAS } from './sim/events.js';
import { REBALANCE_INVARIANTS } from './sim/invariants.js';
import { simPoliciesSchema } from './sim/policies.js';
import { REBALANCE_RETENTION } from './store/retention.js';

export const rebalancePack: PackModule = {
  name: 'rebalance',
  description:
    'Rebalance: bike-share rebalancing, greedy vs global policies, policy API and staged rollout gates (runbook 004)',
  model: { url: new URL('./model.js', import.meta.url).href, export: 'rebalanceModel' },
  contract: {
    invariants: REBALANCE_INVARIANTS,
    policies: simPoliciesSchema,
    events: SIM_EVENT_SCHEMAS,
    scenarios: { dir: packScenarioDir('rebalance'), default: 'day' },
  },
  io: {
    // One run per district and bucket; the plan is applied one sim minute later, whatever the solver's speed.
    jobs: { 'plan-district': { worker: PLAN_JOB, budgetMs: 30_000, resultAfterMs: 60_000 } },
  },
  surfaces: {
    retention: REBALANCE_RETENTION,
    migrations: REBALANCE_MIGRATIONS,
    http: policyRoutes,
    commands: REBALANCE_COMMANDS,
    page: '/admin/rebalance',
    panels: [
      {
        kind: 'tile',
        title: 'timeout rate',
        metric: 'rebalance.global_timeouts',
        over: 'rebalance.global_runs',
        statistic: 'value',
        percent: true,
      },
      {
        kind: 'tile',
        title: 'fallback rate',
        metric: 'rebalance.global_fallbacks',
        over: 'rebalance.global_runs',
        statistic: 'value',
        percent: true,
      },
      {
        kind: 'tile',
        title: 'objective delta (global better > 0)',
        metric: 'rebalance.objective_gain',
        over: 'rebalance.objective_greedy',
        statistic: 'value',
        percent: true,
      },
      { kind: 'tile', title: 'unmet pickups', metric: 'rebalance.unmet_pickups', statistic: 'value' },
      { kind: 'chart', title: 'unmet pickups per interval', metric: 'rebalance.unmet_pickups', statistic: 'value' },
      {
        kind: 'chart',
        title: 'policy run p95 per interval (wall)',
        metric: 'runtime.job_us.plan-district',
        statistic: 'p95',
        unit: 'us',
      },
    ],
  },
};
