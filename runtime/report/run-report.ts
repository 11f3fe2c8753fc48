// A run report: one self-contained HTML file (no scripts or assets fetched) that a person can
// attach to a ticket: the run's facts, its gates and violations, percentiles, KPIs, charts of its
// latency metrics over sim time from the stored intervals, and the JSON summary (with encoded HDR
// histograms, readable by other HDR tools) embedded for machines.
import { type RunSummary, verdictOf } from '../run/run-summary.js';
import { formatDurationMs } from '../scenario/duration.js';
import type { Store } from '../store/store.js';

/** Charts per report: the pack's own latency-like metrics first, the runtime's last. */
const MAX_CHARTS = 6;

/** p95 over sim time of the run's histograms, from its stored intervals. */
export function reportSeries(store: Store, summary: RunSummary): ReportSeries[] {
  const names = Object.keys(summary.metrics).sort(
    (x, y) => Number(x.startsWith('runtime.')) - Number(y.startsWith('runtime.')) || (x < y ? -1 : 1),
  );
  return names
    .slice(0, MAX_CHARTS)
    .map((metric) => ({ metric, statistic: 'p95', points: store.metricSeries(summary.runId, metric, 'p95') }));
}

export interface ReportSeries {
  metric: string;
  statistic: string;
  points: { simMs: number; value: number }[];
}

const esc = (v: unknown) => String(v).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Values print with enough digits that a failing value never rounds onto its threshold. */
function num(v: number | undefined): string {
  if (v === undefined) return 'n/a';
  if (Number.isInteger(v)) return String(v);
  return String(+v.toPrecision(4));
}

function table(headers: string[], rows: unknown[][]): string {
  const head = headers.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function chart(series: ReportSeries): string {
  const w = 640;
  const h = 160;
  const pts = series.points;
  if (pts.length < 2) return '';
  const maxX = pts[pts.length - 1].simMs || 1;
  const maxY = Math.max(...pts.map((p) => p.value)) || 1;
  const path = pts
    .map((p) => `${((p.simMs / maxX) * w).toFixed(1)},${(h - (p.value / maxY) * h).toFixed(1)}`)
    .join(' ');
  return `<figure><figcaption>${esc(series.metric)} ${esc(series.statistic)} over sim time (max ${num(maxY)}, to ${formatDurationMs(maxX)})</figcaption>
<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(series.metric)}"><polyline fill="none" stroke="#2563eb" stroke-width="1.5" points="${path}"/></svg></figure>`;
}

export function renderRunReport(summary: RunSummary, series: readonly ReportSeries[]): string {
  const verdict = verdictOf(summary);
  const facts = [
    ['run', summary.runId],
    ['scenario', `${summary.scenario} (pack ${summary.pack})`],
    ['seed', summary.seed],
    ['status', `${summary.status}, ${verdict}`],
    ['sim time', `${formatDurationMs(summary.simTimeMs)} in ${formatDurationMs(Math.round(summary.wallMs))} wall`],
    ['ticks, steps, messages', `${summary.ticks}, ${summary.steps}, ${summary.messages}`],
    ['digest', summary.digest],
    ['reproduce', summary.reproduce],
    ...(summary.error ? [['error', summary.error]] : []),
  ];
  const gates = summary.invariants.map((g) => [
    g.id,
    g.severity,
    g.verdict,
    num(g.observed),
    `${g.operator} ${num(g.threshold)}`,
    g.description ?? '',
  ]);
  const violations = summary.violations.map((v) => [
    v.invariantId,
    v.severity,
    num(v.observed),
    `${v.operator} ${num(v.threshold)}`,
    `${formatDurationMs(v.fromSimMs)} – ${formatDurationMs(v.toSimMs)}`,
  ]);
  const percentiles = Object.entries(summary.metrics).map(([n, m]) => [
    n,
    m.count,
    m.p50,
    m.p90,
    m.p95,
    m.p99,
    m.p999,
    m.max,
  ]);
  const json = JSON.stringify(summary).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tickwork report · ${esc(summary.scenario)} · ${esc(summary.runId.slice(0, 8))}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d232b}table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{text-align:left;padding:.25rem .6rem;border-bottom:1px solid #e3e6ea}
h1{font-size:1.4rem}.passed{color:#17733a}.failed{color:#b3261e}figure{margin:0 0 1rem}figcaption{color:#555}pre{background:#f5f6f8;padding:1rem;overflow:auto}</style></head>
<body>
<h1>${esc(summary.scenario)} · seed ${esc(summary.seed)} · <span class="${summary.passed ? 'passed' : 'failed'}" data-testid="verdict">${verdict}</span></h1>
${table(['fact', 'value'], facts)}
<h2>Gates</h2>
${table(['invariant', 'severity', 'verdict', 'observed', 'threshold', 'what'], gates)}
<h2>Violations</h2>
${violations.length ? table(['invariant', 'severity', 'observed', 'threshold', 'sim-time window'], violations) : '<p>none</p>'}
<h2>Percentiles (whole run)</h2>
${table(['metric', 'count', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max'], percentiles)}
${series.map(chart).join('\n')}
${summary.kpis ? `<h2>KPIs</h2><pre>${esc(JSON.stringify(summary.kpis, null, 2))}</pre>` : ''}
<script type="application/json" id="summary">${json}</script>
</body></html>
`;
}
