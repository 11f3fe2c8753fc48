// The run's summary in the runbook's terms: riders served and unmet, what the trucks moved, policy
// runs by version with timeout, fallback and no-op rates, objective_delta_ratio, and the rollback.
import type { MetricReader } from '../../../runtime/sdk.js';

export function simKpis(m: MetricReader): Record<string, unknown> {
  const sum = (name: string) => m.stat(name, 'sum') ?? 0;
  const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);
  const pickups = sum('rebalance.pickup_requests');
  const dropoffs = sum('rebalance.dropoff_requests');
  const globalRuns = sum('rebalance.global_runs');
  const runs = sum('rebalance.greedy_runs');
  const rollbacks = sum('rebalance.rollbacks');
  const ms = (us: number | undefined) => (us === undefined ? null : Math.round(us / 100) / 10);
  return {
    riders: {
      trips: sum('rebalance.trips'),
      unmetPickups: sum('rebalance.unmet_pickups'),
      unmetDropoffs: sum('rebalance.unmet_dropoffs'),
      unmetRate: ratio(sum('rebalance.unmet_pickups') + sum('rebalance.unmet_dropoffs'), pickups + dropoffs),
    },
    trucks: {
      bikesPlanned: sum('rebalance.moves_planned'),
      bikesMoved: sum('rebalance.bikes_moved'),
      bikeKm: Math.round(sum('rebalance.truck_bike_km') * 10) / 10,
    },
    policyRuns: {
      snapshots: sum('rebalance.snapshots'),
      runs,
      noOpRate: ratio(sum('rebalance.no_op_runs'), runs),
      servedGlobal: sum('rebalance.served_global'),
      planErrors: sum('rebalance.plan_errors'),
    },
    global: {
      runs: globalRuns,
      timeout_rate: ratio(sum('rebalance.global_timeouts'), globalRuns),
      fallback_rate: ratio(sum('rebalance.global_fallbacks'), globalRuns),
      objective_delta_ratio: ratio(sum('rebalance.objective_gain'), sum('rebalance.objective_greedy')),
      // Wall time of a district's policy run (greedy and global), measured by the scheduler.
      planMs: {
        p50: ms(m.stat('runtime.job_us.plan-district', 'p50')),
        p95: ms(m.stat('runtime.job_us.plan-district', 'p95')),
      },
    },
    gateWindows: {
      pass: sum('rebalance.gate_windows_pass'),
      fail: sum('rebalance.gate_windows_fail'),
      inconclusive: sum('rebalance.gate_windows_inconclusive'),
    },
    rollback: rollbacks > 0 ? { applied: true, atSimMin: sum('rebalance.rollback_at_min') } : { applied: false },
  };
}
