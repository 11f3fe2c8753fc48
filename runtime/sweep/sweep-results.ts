// A sweep's results as data, for the CLI's report and JSON and the HTTP sweep routes alike: each
// run's verdict (ERROR when it ended without a summary), the gates that failed with their worst
// values, and the pass rate per parameter set.
import { unjudgedFailsRun } from '../invariants/invariant-checker.js';
import { fmt } from '../report/format-number.js';
import type { RunSummary } from '../run/run-summary.js';
import { type RunVerdict, verdictOf } from '../run/run-summary.js';
import type { SweepCase } from './sweep-plan.js';

/** One run of a sweep, ended: its summary, or why it has none (the process died, say). */
export interface SweepResult {
  case: SweepCase;
  summary?: RunSummary;
  /** The run's process exit code. */
  exitCode: number;
  /** Why there is no summary. */
  error?: string;
  wallMs: number;
  /** Where it ran, when not here: the fleet agent's `host:pid`. */
  agent?: string;
}

export type SweepVerdict = RunVerdict | 'ERROR';

export function sweepVerdict(r: SweepResult): SweepVerdict {
  return r.summary ? verdictOf(r.summary) : 'ERROR';
}

/**
 * The gates that failed: `id worst <value> (gate <op> <threshold>)`, a warning marked as one (it
 * does not fail the run); a critical gate never judged says so (it does).
 */
export function failedGates(s: RunSummary | undefined): string[] {
  if (!s) return [];
  return s.invariants.flatMap((g) => {
    if (g.verdict === 'fail') {
      const worst = g.worst?.observed ?? g.observed;
      const warning = g.severity === 'warning' ? 'warning ' : '';
      return [
        `${warning}${g.id} worst ${worst === undefined ? 'n/a' : fmt(worst)} (gate ${g.operator} ${g.threshold})`,
      ];
    }
    if (unjudgedFailsRun(g)) return [`${g.id} not evaluated`];
    return [];
  });
}

export interface PassRate {
  params: string;
  runs: number;
  passed: number;
  rate: number;
}

export function passRates(results: readonly SweepResult[]): PassRate[] {
  const by = new Map<string, PassRate>();
  for (const r of results) {
    const p = by.get(r.case.params) ?? { params: r.case.params, runs: 0, passed: 0, rate: 0 };
    p.runs++;
    if (sweepVerdict(r) === 'PASSED') p.passed++;
    p.rate = p.passed / p.runs;
    by.set(r.case.params, p);
  }
  return [...by.values()];
}

/** One ended run of a sweep, for machines. */
export function resultJson(r: SweepResult) {
  return {
    seed: r.case.seed,
    policies: r.case.policies,
    params: r.case.params,
    verdict: sweepVerdict(r),
    runId: r.summary?.runId,
    status: r.summary?.status,
    digest: r.summary?.digest,
    failedGates: failedGates(r.summary),
    wallMs: Math.round(r.wallMs),
    ...(r.agent ? { agent: r.agent } : {}),
    ...(r.summary ? { reproduce: r.summary.reproduce } : { error: r.error ?? `exit ${r.exitCode}` }),
  };
}

/** A whole sweep's ended runs, for machines (`--json`). */
export function sweepJson(sweepId: string, scenario: string, results: readonly SweepResult[]) {
  return {
    sweepId,
    scenario,
    runs: results.map(resultJson),
    passRates: passRates(results),
    passed: results.every((r) => sweepVerdict(r) === 'PASSED'),
  };
}
