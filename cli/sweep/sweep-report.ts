// What a sweep prints at its end: a row per run (seed, parameters, verdict, the gates that failed
// with their worst values, digest, wall time), the pass rate per parameter set, and the command
// that reproduces each failing run; or the same as one JSON object.
import type { RunSummary } from '../../runtime/run/run-summary.js';
import { type RunVerdict, verdictOf } from '../../runtime/run/run-summary.js';
import { formatDurationMs } from '../../runtime/scenario/duration.js';
import { fmt, table } from '../format-summary.js';
import { unjudgedFailsRun } from '../../runtime/invariants/invariant-checker.js';
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

/** The end-of-sweep text: the table of runs, the pass rates, and how to reproduce each failure. */
export function formatSweep(sweepId: string, scenario: string, results: readonly SweepResult[]): string {
  const sorted = [...results].sort((a, b) =>
    a.case.params === b.case.params ? a.case.seed - b.case.seed : a.case.params < b.case.params ? -1 : 1,
  );
  const lines = [
    `sweep ${sweepId}: ${scenario}, ${results.length} runs`,
    '',
    ...table(
      ['seed', 'parameters', 'verdict', 'failed gates (worst)', 'digest', 'wall'],
      sorted.map((r) => [
        String(r.case.seed),
        r.case.params,
        sweepVerdict(r),
        failedGates(r.summary).join('; ') || (r.error ? r.error.slice(0, 80) : '-'),
        r.summary?.digest ?? '-',
        formatDurationMs(Math.round(r.wallMs)),
      ]),
      ['r', 'l', 'l', 'l', 'l', 'r'],
    ),
    '',
    'pass rate per parameter set:',
    ...table(
      ['parameters', 'passed', 'runs', 'rate'],
      passRates(results).map((p) => [p.params, String(p.passed), String(p.runs), `${(p.rate * 100).toFixed(1)}%`]),
    ),
  ];
  const failing = sorted.filter((r) => sweepVerdict(r) !== 'PASSED');
  if (failing.length > 0) {
    lines.push('', `${failing.length} run(s) did not pass; reproduce each with:`);
    for (const r of failing)
      lines.push(`  ${r.summary?.reproduce ?? `(no summary: ${r.error ?? `exit ${r.exitCode}`})`}`);
  } else lines.push('', 'every run passed');
  lines.push('', `the runs are stored: npx tickwork runs --sweep ${sweepId}`);
  return lines.join('\n');
}

/**
 * The end of a hunt: how many random seeds ran and passed, and each failure with its gates and
 * reproduce command (the passing runs are in the store, not on the screen: a hunt makes many).
 */
export function formatHunt(huntId: string, scenario: string, results: readonly SweepResult[], wallMs: number): string {
  const failing = results.filter((r) => sweepVerdict(r) !== 'PASSED');
  const lines = [
    `hunt ${huntId}: ${scenario}, ${results.length} random seeds in ${formatDurationMs(Math.round(wallMs))}, ` +
      `${results.length - failing.length} passed, ${failing.length} did not`,
  ];
  if (failing.length > 0) {
    lines.push(
      '',
      ...table(
        ['seed', 'verdict', 'failed gates (worst)', 'digest'],
        failing.map((r) => [
          String(r.case.seed),
          sweepVerdict(r),
          failedGates(r.summary).join('; ') || (r.error ? r.error.slice(0, 80) : '-'),
          r.summary?.digest ?? '-',
        ]),
        ['r', 'l', 'l', 'l'],
      ),
      '',
      'reproduce each with:',
      ...failing.map((r) => `  ${r.summary?.reproduce ?? `(no summary: ${r.error ?? `exit ${r.exitCode}`})`}`),
    );
  } else lines.push('', 'no failure found within the budget');
  lines.push('', `the runs are stored: npx tickwork runs --label hunt:${huntId}`);
  return lines.join('\n');
}

/** The same, for machines. */
export function sweepJson(sweepId: string, scenario: string, results: readonly SweepResult[]) {
  return {
    sweepId,
    scenario,
    runs: results.map((r) => ({
      seed: r.case.seed,
      policies: r.case.policies,
      params: r.case.params,
      verdict: sweepVerdict(r),
      runId: r.summary?.runId,
      status: r.summary?.status,
      digest: r.summary?.digest,
      failedGates: failedGates(r.summary),
      wallMs: Math.round(r.wallMs),
      ...(r.summary ? { reproduce: r.summary.reproduce } : { error: r.error ?? `exit ${r.exitCode}` }),
    })),
    passRates: passRates(results),
    passed: results.every((r) => sweepVerdict(r) === 'PASSED'),
  };
}
