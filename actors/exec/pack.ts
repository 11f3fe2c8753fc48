// The execution simulator's registration (runbook 003): its contract and scenarios
// (`tickwork run exec` backtests with synthetic traders; `exec/service` is the open-ended run
// behind `tickwork exec serve`), intents addressed by id to their desk.
import { type PackModule, partitionOfName } from '../../runtime/sdk.js';
import { packScenarioDir } from '../scenario-dir.js';
import { EXEC_COMMANDS } from './cli/commands.js';
import { JetStreamSource } from './io/jetstream-source.js';
import { maintenanceOn } from './io/maintenance.js';
import { EXEC_MIGRATIONS } from './store/outbox.js';
import { serviceConfigFromEnv } from './config/service-config.js';
import { serviceRoutes } from './http/service-routes.js';
import { EXEC_INVARIANTS } from './sim/invariants.js';
import { execPoliciesSchema } from './sim/policies.js';
import { EXEC_RETENTION } from './store/retention.js';

export const execPack: PackModule = {
  name: 'exec',
  description: 'Execution simulator: order intents to fills over NATS JetStream, exactly once (runbook 003)',
  model: { url: new URL('./model.js', import.meta.url).href, export: 'execModel' },
  contract: {
    invariants: EXEC_INVARIANTS,
    policies: execPoliciesSchema,
    events: {},
    scenarios: { dir: packScenarioDir('exec'), default: 'backtest' },
  },
  io: {
    // An intent's id picks its desk: partition p's desk has id p.
    resolveName: (name, partitions) => partitionOfName(name, partitions),
    // Only the service scenario takes intents from JetStream; a backtest has its own traders.
    sources: (run) =>
      run.scenario.name === 'service' ? [new JetStreamSource(run, serviceConfigFromEnv(), maintenanceOn)] : [],
  },
  surfaces: {
    retention: EXEC_RETENTION,
    migrations: EXEC_MIGRATIONS,
    commands: EXEC_COMMANDS,
    // The service: runbook 003's port, its /healthz and /metrics.
    service: { defaultPort: 8004, portEnv: 'EXEC_SIM_PORT', http: serviceRoutes },
    panels: [
      {
        kind: 'tile',
        title: 'latency p95',
        metric: 'exec.simulation_ms',
        statistic: 'p95',
        unit: 'ms',
        gate: 'exec_latency_p95',
      },
      {
        kind: 'tile',
        title: 'validation errors',
        metric: 'exec.intents_invalid',
        over: 'exec.intents_valid',
        statistic: 'value',
        percent: true,
        gate: 'exec_validation_error_rate',
      },
      { kind: 'tile', title: 'partial fills', metric: 'exec.fills_partial', statistic: 'value' },
      { kind: 'chart', title: 'latency p95 per interval', metric: 'exec.simulation_ms', statistic: 'p95', unit: 'ms' },
    ],
  },
};
