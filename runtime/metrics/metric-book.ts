// Main-thread metrics: merges the workers' deltas at the barrier and keeps, per metric, a
// run-wide total and a ring of per-interval buckets, so invariants can ask for a statistic over
// the whole run or over the last W sim minutes. Histograms, counters and gauges (reporters).
import type { Reporter } from '../packs/pack-model.js';
import type { IntervalEvent } from '../bus.js';
import type { MetricDelta } from './metric-recorder.js';
import { GaugeTrends, type TrendSums } from './gauge-trend.js';
import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  recordInto,
  statistics,
  statOf,
  summarize,
  type Histogram,
  type HistogramStatistic,
  type Summary,
} from './histogram.js';

/** `trend_per_day`: a gauge's least-squares slope over the whole run, per sim day (gauge-trend.ts). */
export type Statistic =
  | 'count'
  | 'min'
  | 'mean'
  | 'p50'
  | 'p90'
  | 'p95'
  | 'p99'
  | 'p999'
  | 'max'
  | 'sum'
  | 'value'
  | 'trend_per_day';

interface Bucket {
  endSimMs: number;
  histograms: Map<string, Histogram>;
  counters: Map<string, number>;
  /** Encoded histograms of a closed bucket, which never changes again: checkpoints reuse it. */
  encoded?: Record<string, string>;
}

export interface MetricBookSnapshot {
  histograms: Record<string, string>;
  counters: Record<string, number>;
  gauges: Record<string, number>;
  buckets: { endSimMs: number; histograms: Record<string, string>; counters: Record<string, number> }[];
  /** Absent in checkpoints written before gauges kept trends. */
  trends?: Record<string, TrendSums>;
}

export class MetricBook {
  private totals = new Map<string, Histogram>();
  private counters = new Map<string, number>();
  private gauges = new Map<string, number>();
  private buckets: Bucket[] = [];
  private current: Bucket = newBucket(0);
  private trends = new GaugeTrends();

  /** @param maxWindowMs longest window any invariant asks for; older buckets are dropped. */
  constructor(
    private readonly intervalMs: number,
    private readonly maxWindowMs: number,
  ) {}

  /** Record a value straight into the book (main-thread runtime metrics). */
  record(metric: string, value: number): void {
    recordInto(getOrCreate(this.totals, metric), value);
    recordInto(getOrCreate(this.current.histograms, metric), value);
  }

  add(metric: string, n: number): void {
    this.counters.set(metric, (this.counters.get(metric) ?? 0) + n);
    this.current.counters.set(metric, (this.current.counters.get(metric) ?? 0) + n);
  }

  ingest(deltas: readonly MetricDelta[]): void {
    for (const d of deltas) {
      for (const [name, encoded] of Object.entries(d.histograms)) {
        const h = decodeHistogram(encoded);
        getOrCreate(this.totals, name).add(h);
        getOrCreate(this.current.histograms, name).add(h);
      }
      for (const [name, n] of Object.entries(d.counters)) this.add(name, n);
    }
  }

  /** Combine per-partition reporter values (in partition order) into gauges. */
  setGauges(reporters: readonly Pick<Reporter, 'metric' | 'combine'>[], perPartition: Record<string, number>[]): void {
    for (const r of reporters) {
      let v = r.combine === 'sum' ? 0 : r.combine === 'min' ? Infinity : -Infinity;
      for (const g of perPartition) {
        const x = g[r.metric];
        if (x === undefined) continue;
        v = r.combine === 'sum' ? v + x : r.combine === 'min' ? Math.min(v, x) : Math.max(v, x);
      }
      if (Number.isFinite(v)) this.gauges.set(r.metric, v);
    }
  }

  setGauge(metric: string, value: number): void {
    this.gauges.set(metric, value);
  }

  /** Close the current interval at sim time `endSimMs`. */
  closeInterval(endSimMs: number): void {
    for (const [name, value] of this.gauges) this.trends.add(name, endSimMs, value);
    this.current.endSimMs = endSimMs;
    this.buckets.push(this.current);
    this.current = newBucket(endSimMs);
    const keepAfter = endSimMs - Math.max(this.maxWindowMs, this.intervalMs);
    while (this.buckets.length > 0 && this.buckets[0].endSimMs <= keepAfter) this.buckets.shift();
  }

  /** Buckets closed in the last `windowMs`, as of the latest closed interval. */
  private window(windowMs: number): Bucket[] {
    const last = this.buckets[this.buckets.length - 1];
    if (!last) return [];
    return this.buckets.filter((b) => b.endSimMs > last.endSimMs - windowMs);
  }

  /** A statistic of a metric, over the run or a window; undefined when there is no data. */
  stat(metric: string, statistic: Statistic, windowMs?: number): number | undefined {
    if (statistic === 'value') return this.gauges.get(metric);
    if (statistic === 'trend_per_day') return this.trends.slopePerDay(metric);
    if (statistic === 'sum') {
      if (windowMs === undefined) return this.counters.get(metric);
      let sum: number | undefined;
      for (const b of this.window(windowMs)) {
        const n = b.counters.get(metric);
        if (n !== undefined) sum = (sum ?? 0) + n;
      }
      return sum;
    }
    let h: Histogram | undefined;
    if (windowMs === undefined) h = this.totals.get(metric);
    else {
      for (const b of this.window(windowMs)) {
        const part = b.histograms.get(metric);
        if (!part) continue;
        h ??= createHistogram();
        h.add(part);
      }
    }
    if (!h || h.totalCount === 0) return undefined;
    return statOf(h, statistic as HistogramStatistic);
  }

  /** The whole run's histogram of a metric (read-only), e.g. for Prometheus buckets. */
  histogram(metric: string): Histogram | undefined {
    return this.totals.get(metric);
  }

  /** Names of every histogram recorded so far. */
  histogramNames(): string[] {
    return [...this.totals.keys()].sort();
  }

  summaries(): Record<string, Summary> {
    const out: Record<string, Summary> = {};
    for (const name of [...this.totals.keys()].sort()) out[name] = summarize(this.totals.get(name)!);
    return out;
  }

  counterValues(): Record<string, number> {
    return Object.fromEntries([...this.counters.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  gaugeValues(): Record<string, number> {
    return Object.fromEntries([...this.gauges.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  /** Last closed interval's histograms and counters, for the store. */
  lastInterval(): { endSimMs: number; histograms: Map<string, Histogram>; counters: Map<string, number> } | undefined {
    return this.buckets[this.buckets.length - 1];
  }

  /** The last closed interval in small numbers, for live watchers (SSE). */
  intervalView(): Pick<IntervalEvent, 'counters' | 'histograms' | 'gauges'> {
    const last = this.lastInterval();
    const histograms: IntervalEvent['histograms'] = {};
    for (const [name, h] of last?.histograms ?? []) {
      if (h.totalCount === 0) continue;
      const { count, p50, p95, p99, max } = statistics(h);
      histograms[name] = { count, p50, p95, p99, max };
    }
    return { counters: Object.fromEntries(last?.counters ?? []), histograms, gauges: this.gaugeValues() };
  }

  snapshot(): MetricBookSnapshot {
    return {
      histograms: encodeMap(this.totals),
      counters: Object.fromEntries(this.counters),
      gauges: Object.fromEntries(this.gauges),
      buckets: this.buckets.map((b) => ({
        endSimMs: b.endSimMs,
        histograms: (b.encoded ??= encodeMap(b.histograms)),
        counters: Object.fromEntries(b.counters),
      })),
      trends: this.trends.snapshot(),
    };
  }

  restore(s: MetricBookSnapshot): void {
    this.totals = decodeMap(s.histograms);
    this.counters = new Map(Object.entries(s.counters));
    this.gauges = new Map(Object.entries(s.gauges));
    this.buckets = s.buckets.map((b) => ({
      endSimMs: b.endSimMs,
      histograms: decodeMap(b.histograms),
      counters: new Map(Object.entries(b.counters)),
    }));
    this.current = newBucket(this.buckets[this.buckets.length - 1]?.endSimMs ?? 0);
    this.trends.restore(s.trends);
  }
}

function newBucket(endSimMs: number): Bucket {
  return { endSimMs, histograms: new Map(), counters: new Map() };
}

function getOrCreate(map: Map<string, Histogram>, name: string): Histogram {
  let h = map.get(name);
  if (!h) {
    h = createHistogram();
    map.set(name, h);
  }
  return h;
}

function encodeMap(map: Map<string, Histogram>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, h] of map) if (h.totalCount > 0) out[name] = encodeHistogram(h);
  return out;
}

function decodeMap(enc: Record<string, string>): Map<string, Histogram> {
  const out = new Map<string, Histogram>();
  for (const [name, e] of Object.entries(enc)) {
    const h = createHistogram();
    h.add(decodeHistogram(e));
    out.set(name, h);
  }
  return out;
}
