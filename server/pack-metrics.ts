// Pack metric families on /metrics: each pack's catalogue (PackSurfaces.metrics) rendered as real
// Prometheus counters, gauges and histograms (`_bucket`, `_sum`, `_count`, base units), under the
// pack's own names and labels, summed over the pack's exported runs. Series named in a spec's
// label lists are present at zero from the start, so rate() and alerts have a baseline.
import type { PackCatalogue } from '../runtime/packs/pack-catalogue.js';
import { compilePattern, DEFAULT_SECONDS_BUCKETS, type MetricSpec } from '../runtime/metrics/metric-catalogue.js';
import { cumulativeBuckets } from '../runtime/metrics/histogram.js';
import type { Run } from '../runtime/run/run.js';
import type { RunSummary } from '../runtime/run/run-summary.js';

interface Series {
  labels: Record<string, string>;
  value: number;
  buckets?: number[];
  sum?: number;
}

export function renderPackMetrics(packs: PackCatalogue, runs: readonly Run[], only?: string): string {
  const out: string[] = [];
  for (const pack of only === undefined ? packs.all() : [packs.get(only)]) {
    const catalogue = pack.surfaces?.metrics;
    if (!catalogue) continue;
    // A live run builds its summary afresh (every histogram walked and encoded): once per run, not per family.
    const ofPack = runs
      .filter((r) => r.options.scenario.pack === pack.name)
      .map((run) => ({ run, summary: run.summary() }));
    for (const spec of catalogue) out.push(renderFamily(spec, ofPack));
  }
  return out.join('');
}

function renderFamily(spec: MetricSpec, runs: readonly { run: Run; summary: RunSummary }[]): string {
  const pattern = compilePattern(spec.from);
  const scale = spec.scale ?? 1;
  const bounds = spec.buckets ?? DEFAULT_SECONDS_BUCKETS;
  const series = new Map<string, Series>();
  const seriesOf = (labels: Record<string, string>): Series => {
    const key = JSON.stringify(pattern.labelNames.map((n) => labels[n]));
    let s = series.get(key);
    if (!s) {
      s = { labels, value: 0, ...(spec.kind === 'histogram' ? { buckets: bounds.map(() => 0), sum: 0 } : {}) };
      series.set(key, s);
    }
    return s;
  };
  for (const labels of combinations(pattern.labelNames, spec.labels ?? {})) seriesOf(labels);

  for (const { run, summary } of runs) {
    if (spec.kind === 'histogram') {
      for (const name of Object.keys(summary.metrics)) {
        const labels = pattern.match(name);
        const h = labels && run.metricHistogram(name);
        if (!labels || !h) continue;
        const b = cumulativeBuckets(h, bounds, scale);
        const s = seriesOf(labels);
        b.counts.forEach((n, i) => (s.buckets![i] += n));
        s.sum! += b.sum;
        s.value += b.count;
      }
    } else {
      const values = spec.kind === 'counter' ? summary.counters : summary.gauges;
      for (const [name, value] of Object.entries(values)) {
        const labels = pattern.match(name);
        if (labels) seriesOf(labels).value += value * scale;
      }
    }
  }

  const lines = [`# HELP ${spec.name} ${spec.help.replace(/\n/g, ' ')}`, `# TYPE ${spec.name} ${spec.kind}`];
  for (const s of series.values()) {
    if (spec.kind !== 'histogram') {
      lines.push(`${spec.name}${labelText(s.labels)} ${s.value}`);
      continue;
    }
    bounds.forEach((le, i) =>
      lines.push(`${spec.name}_bucket${labelText({ ...s.labels, le: String(le) })} ${s.buckets![i]}`),
    );
    lines.push(`${spec.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.value}`);
    lines.push(`${spec.name}_sum${labelText(s.labels)} ${s.sum}`);
    lines.push(`${spec.name}_count${labelText(s.labels)} ${s.value}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Every combination of the listed label values; none when a bound label has no list. */
function combinations(
  names: readonly string[],
  values: Readonly<Record<string, readonly string[]>>,
): Record<string, string>[] {
  if (names.some((n) => !Object.hasOwn(values, n))) return [];
  return names.reduce<Record<string, string>[]>(
    (acc, name) => acc.flatMap((partial) => values[name].map((v) => ({ ...partial, [name]: v }))),
    [{}],
  );
}

function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
  );
  return parts.length ? `{${parts.join(',')}}` : '';
}
