// The human-readable end-of-run summary: run facts, a percentile table, invariant verdicts.
import { type RunSummary, verdictOf } from '../runtime/run/run-summary.js';
import { formatDurationMs } from '../runtime/scenario/duration.js';
import { unjudgedFailsRun } from '../runtime/invariants/invariant-checker.js';
import { fmt } from '../runtime/report/format-number.js';

export function formatSummary(s: RunSummary): string {
  const lines: string[] = [];
  const verdict = verdictOf(s);
  lines.push('');
  lines.push(`run ${s.runId}  ${s.scenario} (pack ${s.pack})  seed ${s.seed}  ${s.status}  ${verdict}`);
  lines.push(
    `  sim ${formatDurationMs(s.simTimeMs)} in ${formatDurationMs(s.wallMs)} wall  ticks ${s.ticks}  actors ${s.actors}  steps ${s.steps}  messages ${s.messages}`,
  );
  lines.push(
    `  digest ${s.digest}  inputs ${s.inputs}  actor failures ${s.actorFailures}  worker recoveries ${s.workerRecoveries}`,
  );
  if (s.executor)
    lines.push(
      `  executor ${s.executor.workers === 0 ? 'inline' : `${s.executor.workers} worker${s.executor.workers === 1 ? '' : 's'}`} (${s.executor.mode}): ${s.executor.reason}`,
    );
  if (s.windows) lines.push(`  windows ${describeWindows(s.windows, s.ticks)}`);
  if (s.error) lines.push(`  error: ${s.error}`);
  if (verdict === 'INCOMPLETE')
    lines.push(
      `  stopped at sim ${formatDurationMs(s.simTimeMs)} of ${formatDurationMs(s.options.durationMs)}: gates judged so far ${s.verdicts.pass} pass, ${s.verdicts.fail} fail, ${s.verdicts.notEvaluated} not evaluated`,
    );
  const names = Object.keys(s.metrics);
  if (names.length > 0) {
    lines.push('');
    const header = ['metric', 'count', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max'];
    const rows = names.map((n) => {
      const m = s.metrics[n];
      return [n, m.count, m.p50, m.p90, m.p95, m.p99, m.p999, m.max].map(String);
    });
    lines.push(...table(header, rows));
  }
  const gauges = Object.entries(s.gauges);
  if (gauges.length > 0) {
    lines.push('');
    for (const [name, v] of gauges) lines.push(`  ${name} = ${v}`);
  }
  if (s.kpis) {
    lines.push('');
    for (const [section, value] of Object.entries(s.kpis))
      lines.push(`  ${section.padEnd(10)} ${flatten(value).join('  ')}`);
  }
  if (s.invariants.length > 0) {
    lines.push('');
    lines.push(
      ...table(
        ['invariant', 'severity', 'verdict', 'last', 'worst (window ending)', 'gate'],
        s.invariants.map((i) => [
          i.id,
          i.severity + (i.optional ? ' (optional)' : ''),
          i.verdict.toUpperCase(),
          i.observed === undefined ? '-' : fmt(i.observed),
          i.worst === undefined ? '-' : `${fmt(i.worst.observed)} (${formatDurationMs(i.worst.atSimMs)})`,
          `${i.operator} ${i.threshold}`,
        ]),
      ),
    );
    const v = s.verdicts;
    lines.push(`  gates: ${v.pass} pass, ${v.fail} fail, ${v.notEvaluated} not evaluated, ${v.notApplicable} n/a`);
    for (const i of s.invariants)
      if (i.reason && i.verdict === 'not-evaluated')
        lines.push(
          `  ${i.id} not evaluated: ${i.reason}${unjudgedFailsRun(i) ? ' (a critical gate: the run does not pass)' : ''}`,
        );
    for (const i of s.invariants) if (i.reason && i.verdict === 'n/a') lines.push(`  ${i.id} n/a: ${i.reason}`);
  }
  if (s.breakingPoint) {
    const b = s.breakingPoint;
    const load = (v: number | null) => (v === null ? '-' : `${fmt(v)}/s`);
    lines.push('', `  breaking point (${b.policy} ramp; load = ${b.loadMetric} per sim second):`);
    lines.push(
      ...table(
        ['step', b.policy, 'sim', 'load', 'critical gates'],
        b.steps.map((st) => [
          String(st.step),
          fmt(st.value),
          `${formatDurationMs(st.fromSimMs)}..${formatDurationMs(st.toSimMs)}`,
          load(st.loadPerSec),
          st.held ? 'held' : 'FAILED',
        ]),
      ),
    );
    for (const f of b.firstFailures)
      lines.push(
        `  ${f.gate} first failed at sim ${formatDurationMs(f.atSimMs)}, step ${f.step} (${b.policy} ${fmt(f.value)}), load ${load(f.loadPerSec)}`,
      );
    lines.push(
      b.lastHeld
        ? `  last load that held: step ${b.lastHeld.step}, ${load(b.lastHeld.loadPerSec)} (${b.policy} ${fmt(b.lastHeld.value)})`
        : '  no step held: the first load level already failed a critical gate',
    );
  }
  if (s.recoveries) {
    lines.push('');
    for (const r of s.recoveries) {
      const took =
        r.timeToRecoverMin === null
          ? r.verdict === 'fail'
            ? `not within ${r.withinMin} min`
            : 'not yet (run ended)'
          : `${fmt(r.timeToRecoverMin)} min`;
      lines.push(
        `  recovery after ${r.event} (sim ${formatDurationMs(r.fromSimMs)}..${formatDurationMs(r.toSimMs)}): ${took}, limit ${r.withinMin} min  ${r.verdict.toUpperCase()}`,
      );
    }
  }
  for (const v of s.violations) {
    lines.push(
      `  violation ${v.invariantId} (${v.severity}): observed ${fmt(v.observed)}, gate ${v.operator} ${v.threshold}, sim ${formatDurationMs(v.fromSimMs || 0)}..${formatDurationMs(v.toSimMs || 0)}`,
    );
  }
  if (!s.passed) lines.push('', `reproduce: ${s.reproduce}`);
  return lines.join('\n');
}

/**
 * Columns padded to their widest cell: `align` says per column, 'l' or 'r' (default: the first
 * left-aligned, the rest right-aligned, for a name and its numbers).
 */
export function table(header: string[], rows: string[][], align?: readonly ('l' | 'r')[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const left = (i: number) => (align ? align[i] === 'l' : i === 0);
  const line = (cells: string[]) =>
    `  ${cells.map((c, i) => (left(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`.trimEnd();
  return [line(header), `  ${widths.map((w) => '-'.repeat(w)).join('  ')}`, ...rows.map(line)];
}

/** `{a: 1, b: {c: 2, d: 0}}` -> ['a=1', 'b.c=2']: pack KPIs on one line per section; zero breakdowns are noise. */
function flatten(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') {
    if (value === 0 && prefix.includes('.')) return [];
    return [`${prefix || 'value'}=${typeof value === 'number' ? fmt(value) : String(value)}`];
  }
  return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

/** "up to 5 ticks between barriers (lookahead 5s): 14,306 barriers for 64,298 ticks". */
function describeWindows(w: NonNullable<RunSummary['windows']>, ticks: number): string {
  const count = `${w.barriers.toLocaleString('en-US')} barriers for ${ticks.toLocaleString('en-US')} ticks`;
  if (w.lookaheadMs === 0) return `a barrier every tick (no kind declares a cross-partition delay): ${count}`;
  const lookahead = Number.isFinite(w.lookaheadMs) ? formatDurationMs(w.lookaheadMs) : 'none needed';
  return `lookahead ${lookahead}, at most ${w.maxTicks.toLocaleString('en-US')} ticks per window: ${count}`;
}
