// Two runs side by side: the same figures from each summary and their deltas, for "did this
// change make it better?" (a policy, a seed, a version). Gates by id, percentiles by metric,
// counters and gauges by name; a figure one run lacks shows as null.
import type { RunSummary } from '../run/run-summary.js';

export interface ComparisonRow {
  figure: string;
  a: number | string | null;
  b: number | string | null;
  /** b - a for numbers; for ratios of interest, also b / a. */
  delta: number | null;
  ratio: number | null;
}

export interface RunComparison {
  a: { runId: string; scenario: string; seed: number; passed: boolean };
  b: { runId: string; scenario: string; seed: number; passed: boolean };
  rows: ComparisonRow[];
}

function row(figure: string, a: number | string | undefined, b: number | string | undefined): ComparisonRow {
  const numeric = typeof a === 'number' && typeof b === 'number';
  return {
    figure,
    a: a ?? null,
    b: b ?? null,
    delta: numeric ? b - a : null,
    ratio: numeric && a !== 0 ? b / a : null,
  };
}

export function compareRuns(a: RunSummary, b: RunSummary): RunComparison {
  const rows: ComparisonRow[] = [
    row('simTimeMs', a.simTimeMs, b.simTimeMs),
    row('steps', a.steps, b.steps),
    row('messages', a.messages, b.messages),
  ];
  const gates = new Set([...a.invariants.map((g) => g.id), ...b.invariants.map((g) => g.id)]);
  for (const id of gates) {
    const ga = a.invariants.find((g) => g.id === id);
    const gb = b.invariants.find((g) => g.id === id);
    rows.push(
      row(`gate ${id} verdict`, ga?.verdict, gb?.verdict),
      row(`gate ${id} observed`, ga?.observed, gb?.observed),
    );
  }
  for (const name of [...new Set([...Object.keys(a.metrics), ...Object.keys(b.metrics)])].sort()) {
    for (const stat of ['p50', 'p95', 'p99', 'max'] as const)
      rows.push(row(`${name} ${stat}`, a.metrics[name]?.[stat], b.metrics[name]?.[stat]));
  }
  for (const name of [...new Set([...Object.keys(a.counters), ...Object.keys(b.counters)])].sort())
    rows.push(row(`counter ${name}`, a.counters[name], b.counters[name]));
  for (const name of [...new Set([...Object.keys(a.gauges), ...Object.keys(b.gauges)])].sort())
    rows.push(row(`gauge ${name}`, a.gauges[name], b.gauges[name]));
  const head = (s: RunSummary) => ({ runId: s.runId, scenario: s.scenario, seed: s.seed, passed: s.passed });
  return { a: head(a), b: head(b), rows };
}
