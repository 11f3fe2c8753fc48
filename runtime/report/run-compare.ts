// Two runs side by side: the same figures from each summary and their deltas, for "did this
// change make it better?" (a policy, a seed, a version). Gates by id, percentiles by metric,
// counters and gauges by name; a figure one run lacks shows as null.
import type { RunSummary } from '../run/run-summary.js';

export type ComparisonSection = 'run' | 'gate' | 'percentile' | 'counter' | 'gauge';

export interface ComparisonRow {
  section: ComparisonSection;
  figure: string;
  a: number | string | null;
  b: number | string | null;
  /** b - a for numbers; for ratios of interest, also b / a. */
  delta: number | null;
  ratio: number | null;
}

export interface RunComparison {
  a: { runId: string; scenario: string; pack: string; seed: number; passed: boolean };
  b: { runId: string; scenario: string; pack: string; seed: number; passed: boolean };
  /** Why the figures may not be like for like (another scenario, another pack); empty when they are. */
  caveats: string[];
  rows: ComparisonRow[];
}

function row(
  section: ComparisonSection,
  figure: string,
  a: number | string | undefined,
  b: number | string | undefined,
): ComparisonRow {
  const numeric = typeof a === 'number' && typeof b === 'number';
  return {
    section,
    figure,
    a: a ?? null,
    b: b ?? null,
    delta: numeric ? b - a : null,
    ratio: numeric && a !== 0 ? b / a : null,
  };
}

export function compareRuns(a: RunSummary, b: RunSummary): RunComparison {
  const rows: ComparisonRow[] = [
    row('run', 'simTimeMs', a.simTimeMs, b.simTimeMs),
    row('run', 'steps', a.steps, b.steps),
    row('run', 'messages', a.messages, b.messages),
  ];
  const gates = new Set([...a.invariants.map((g) => g.id), ...b.invariants.map((g) => g.id)]);
  for (const id of gates) {
    const ga = a.invariants.find((g) => g.id === id);
    const gb = b.invariants.find((g) => g.id === id);
    rows.push(
      row('gate', `gate ${id} verdict`, ga?.verdict, gb?.verdict),
      row('gate', `gate ${id} observed`, ga?.observed, gb?.observed),
    );
  }
  for (const name of [...new Set([...Object.keys(a.metrics), ...Object.keys(b.metrics)])].sort()) {
    for (const stat of ['p50', 'p95', 'p99', 'max'] as const)
      rows.push(row('percentile', `${name} ${stat}`, a.metrics[name]?.[stat], b.metrics[name]?.[stat]));
  }
  for (const name of [...new Set([...Object.keys(a.counters), ...Object.keys(b.counters)])].sort())
    rows.push(row('counter', `counter ${name}`, a.counters[name], b.counters[name]));
  for (const name of [...new Set([...Object.keys(a.gauges), ...Object.keys(b.gauges)])].sort())
    rows.push(row('gauge', `gauge ${name}`, a.gauges[name], b.gauges[name]));
  const head = (s: RunSummary) => ({
    runId: s.runId,
    scenario: s.scenario,
    pack: s.pack,
    seed: s.seed,
    passed: s.passed,
  });
  const caveats: string[] = [];
  if (a.pack !== b.pack)
    caveats.push(`different packs (${a.pack}, ${b.pack}): only the engine's own figures mean the same in both`);
  else if (a.scenario !== b.scenario)
    caveats.push(`different scenarios (${a.scenario}, ${b.scenario}): load and gates may differ, not only the change`);
  if (a.simTimeMs !== b.simTimeMs)
    caveats.push(`different sim spans (${a.simTimeMs} ms, ${b.simTimeMs} ms): counters are not per the same time`);
  return { a: head(a), b: head(b), caveats, rows };
}
