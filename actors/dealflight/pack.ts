// The Deal Flight pack's registration (runbook 000): its tables, the desk's routes and CLI
// verbs (simulate, promote, parity, load-catalogue, kill-switch) and the demo's contract and
// scenarios (`tickwork run dealflight`).
import type { PackModule } from '../../runtime/sdk.js';
import { packScenarioDir } from '../scenario-dir.js';
import { DEALFLIGHT_INVARIANTS } from './sim/invariants.js';
import { demoPoliciesSchema } from './sim/policies.js';
import { DESK_COMMANDS } from './cli/commands.js';
import { deskRoutes } from './http/desk-routes.js';
import { DEALFLIGHT_MIGRATIONS } from './store/migrations.js';
import { VARIANT_BUDGET_MS } from './domain/desk/pool-evaluator.js';
import { VARIANT_JOB } from './domain/simulator/variant-job.js';
import { DEAL_FLIGHT_RETENTION } from './store/retention.js';

export const dealflightPack: PackModule = {
  name: 'dealflight',
  description:
    'Deal Flight: deterministic CPQ what-if quote variants, ranked comparison, exactly-once promotion (runbook 000)',
  model: { url: new URL('./model.js', import.meta.url).href, export: 'dealflightModel' },
  contract: {
    invariants: DEALFLIGHT_INVARIANTS,
    policies: demoPoliciesSchema,
    events: {},
    scenarios: { dir: packScenarioDir('dealflight'), default: 'demo' },
  },
  io: {
    // With DEALFLIGHT_PRICING=pool the desk prices variants in parallel as these jobs (an actor could ask
    // `job:price-variant`).
    jobs: { 'price-variant': { worker: VARIANT_JOB, budgetMs: VARIANT_BUDGET_MS } },
  },
  surfaces: {
    retention: DEAL_FLIGHT_RETENTION,
    migrations: DEALFLIGHT_MIGRATIONS,
    commands: DESK_COMMANDS,
    http: deskRoutes,
    panels: [
      {
        kind: 'tile',
        title: 'success rate',
        metric: 'dealflight.success',
        over: 'dealflight.requests',
        statistic: 'value',
        percent: true,
        gate: 'sim_success_rate',
      },
      {
        kind: 'tile',
        title: 'p95 latency',
        metric: 'dealflight.latency_ms',
        statistic: 'p95',
        unit: 'ms',
        gate: 'sim_p95_latency',
      },
      {
        kind: 'tile',
        title: 'promotion failures',
        metric: 'dealflight.promotions_failed',
        over: 'dealflight.promotions_requested',
        statistic: 'value',
        percent: true,
        gate: 'sim_promotion_failure_rate',
      },
      {
        kind: 'tile',
        title: 'parity mismatches',
        metric: 'dealflight.parity_mismatches',
        statistic: 'value',
        gate: 'sim_parity_mismatch',
      },
      {
        kind: 'chart',
        title: 'simulate p95 per interval',
        metric: 'dealflight.latency_ms',
        statistic: 'p95',
        unit: 'ms',
      },
    ],
  },
};
