// The rollout gates over what the policy service stored: the global-policy runs (served or in
// shadow) created in the last window. Used by `tickwork rebalance gates` and the rollback watch.
import type { PolicyStore, PolicyRunRow } from '../../store/policy-store.js';
import { evaluateGates, type GateReport, type GateSample, type Stage } from './rollout-gates.js';

function sample(r: PolicyRunRow): GateSample {
  const failed = r.status === 'error';
  return {
    timedOut: r.timed_out === 1,
    // A run that failed outright served nothing of the global policy: a fallback.
    fellBack: r.fell_back === 1 || failed,
    ...(r.objective !== null && r.greedy_objective !== null
      ? { greedyObjective: r.greedy_objective, globalObjective: r.objective }
      : {}),
  };
}

export function storedGateReport(
  store: PolicyStore,
  stage: Stage,
  options: { windowSec: number; minSamples: number; systemId?: string },
): GateReport & { windowSec: number } {
  const samples = store.globalRunsSince(options.windowSec, options.systemId).map(sample);
  return { ...evaluateGates(stage, samples, { minSamples: options.minSamples }), windowSec: options.windowSec };
}
