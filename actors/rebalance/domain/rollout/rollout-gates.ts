// The runbook's rollout gates (stages shadow -> internal -> public), with what the original lacked
// and Argo Rollouts and Flagger have: a verdict needs a minimum number of global-policy runs in the
// window (else `inconclusive`, never a pass by default), every failed threshold says why in words,
// and a rollback needs several failing windows in a row, not one noisy one.
//
// Over the runs of one window (15 minutes in the runbook):
//   timeout_rate          = global runs that hit their time budget / global runs
//   fallback_rate         = global runs served by greedy instead (timeout or solver error) / global runs
//   objective_delta_ratio = sum(greedy objective - global objective) / sum(greedy objective)
//                           over runs where both were computed (shadow pairs): > 0 means the global
//                           policy did better; the threshold bounds how much worse it may be.

export const STAGES = ['shadow', 'internal', 'public'] as const;
export type Stage = (typeof STAGES)[number];

export interface StageThresholds {
  /** At most. */
  timeout_rate: number;
  /** At most. */
  fallback_rate: number;
  /** At least. */
  objective_delta_ratio: number;
}

/** Exactly as runbook 004 states them. */
export const STAGE_THRESHOLDS: Readonly<Record<Stage, StageThresholds>> = {
  shadow: { timeout_rate: 0.15, fallback_rate: 0.2, objective_delta_ratio: -0.2 },
  internal: { timeout_rate: 0.08, fallback_rate: 0.1, objective_delta_ratio: -0.1 },
  public: { timeout_rate: 0.03, fallback_rate: 0.05, objective_delta_ratio: -0.03 },
};

/** One global-policy run as the gates see it. */
export interface GateSample {
  timedOut: boolean;
  fellBack: boolean;
  /** Both objectives when the run computed both (shadow mode computes both on the same snapshot). */
  greedyObjective?: number;
  globalObjective?: number;
}

export interface GateOptions {
  /** Global runs a window needs before any verdict (default 20). */
  minSamples: number;
}

export const DEFAULT_GATE_OPTIONS: GateOptions = { minSamples: 20 };

export type GateVerdict = 'pass' | 'fail' | 'inconclusive';

export interface GateReport {
  stage: Stage;
  verdict: GateVerdict;
  samples: number;
  metrics: { timeout_rate: number | null; fallback_rate: number | null; objective_delta_ratio: number | null };
  /** One sentence per failed threshold, or why there is no verdict. */
  reasons: string[];
}

const fmt = (x: number) => String(Math.round(x * 10_000) / 10_000);
/** Metrics are compared at 9 decimal places: floating-point noise in a sum must not decide an edge. */
const nine = (x: number) => Math.round(x * 1e9) / 1e9;

export function evaluateGates(
  stage: Stage,
  samples: readonly GateSample[],
  options: GateOptions = DEFAULT_GATE_OPTIONS,
): GateReport {
  const t = STAGE_THRESHOLDS[stage];
  const n = samples.length;
  const paired = samples.filter((s) => s.greedyObjective !== undefined && s.globalObjective !== undefined);
  const greedySum = paired.reduce((sum, s) => sum + s.greedyObjective!, 0);
  const metrics = {
    timeout_rate: n > 0 ? nine(samples.filter((s) => s.timedOut).length / n) : null,
    fallback_rate: n > 0 ? nine(samples.filter((s) => s.fellBack).length / n) : null,
    objective_delta_ratio:
      greedySum > 0
        ? nine(paired.reduce((sum, s) => sum + (s.greedyObjective! - s.globalObjective!), 0) / greedySum)
        : null,
  };
  if (n < options.minSamples) {
    return {
      stage,
      verdict: 'inconclusive',
      samples: n,
      metrics,
      reasons: [`${n} global-policy runs in the window; a verdict needs at least ${options.minSamples}`],
    };
  }
  const reasons: string[] = [];
  if (metrics.timeout_rate! > t.timeout_rate)
    reasons.push(`timeout_rate ${fmt(metrics.timeout_rate!)} is above the ${stage} limit ${t.timeout_rate}`);
  if (metrics.fallback_rate! > t.fallback_rate)
    reasons.push(`fallback_rate ${fmt(metrics.fallback_rate!)} is above the ${stage} limit ${t.fallback_rate}`);
  if (metrics.objective_delta_ratio === null) {
    return {
      stage,
      verdict: 'inconclusive',
      samples: n,
      metrics,
      reasons: [...reasons, 'objective_delta_ratio: no run in the window computed both policies (shadow pairs)'],
    };
  }
  if (metrics.objective_delta_ratio < t.objective_delta_ratio) {
    reasons.push(
      `objective_delta_ratio ${fmt(metrics.objective_delta_ratio)} is below the ${stage} floor ${t.objective_delta_ratio} (global did worse than greedy)`,
    );
  }
  return { stage, verdict: reasons.length > 0 ? 'fail' : 'pass', samples: n, metrics, reasons };
}

/**
 * Roll back when the last `consecutive` windows all failed (inconclusive windows break a run of
 * failures: no data is not evidence). One 15-minute window, as the runbook words it, is
 * `consecutive: 1`; Flagger's default failure threshold would be a larger count of shorter windows.
 */
export function shouldRollBack(history: readonly GateVerdict[], consecutive: number): boolean {
  if (consecutive < 1 || history.length < consecutive) return false;
  return history.slice(-consecutive).every((v) => v === 'fail');
}
