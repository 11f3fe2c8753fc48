// What a sweep or a hunt prints at its end: a row per run (seed, parameters, verdict, the gates
// that failed with their worst values, digest, wall time), the pass rate per parameter set, and
// the command that reproduces each failing run.
import { formatDurationMs } from '../../runtime/scenario/duration.js';
import { failedGates, passRates, type SweepResult, sweepVerdict } from '../../runtime/sweep/sweep-results.js';
import { huntLabel } from '../../runtime/sweep/sweep-plan.js';
import { table } from '../format-summary.js';

/** The gates a run failed with their worst values, or why it has no summary; '-' for neither. */
const whyNotPassed = (r: SweepResult) => failedGates(r.summary).join('; ') || (r.error ? r.error.slice(0, 80) : '-');

/** The command that reproduces a run, or why there is none. */
const reproduceLine = (r: SweepResult) => r.summary?.reproduce ?? `(no summary: ${r.error ?? `exit ${r.exitCode}`})`;

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
        whyNotPassed(r),
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
    for (const r of failing) lines.push(`  ${reproduceLine(r)}`);
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
        failing.map((r) => [String(r.case.seed), sweepVerdict(r), whyNotPassed(r), r.summary?.digest ?? '-']),
        ['r', 'l', 'l', 'l'],
      ),
      '',
      'reproduce each with:',
      ...failing.map((r) => `  ${reproduceLine(r)}`),
    );
  } else lines.push('', 'no failure found within the budget');
  lines.push('', `the runs are stored: npx tickwork runs --label ${huntLabel(huntId)}`);
  return lines.join('\n');
}
