// A pack's metric catalogue: which of its internal metrics leave the process as Prometheus
// families, under which names, units, labels and buckets. Internal names carry their labels
// inline (`api.search.latency_ms`); a spec's `from` pattern binds them (`api.{endpoint}.latency_ms`
// gives label endpoint="search"). HDR histograms stay the source for summaries and gates.

export type MetricKind = 'counter' | 'gauge' | 'histogram';

export interface MetricSpec {
  /** Exported name, as the runbook spells it (counters end in `_total`). */
  readonly name: string;
  readonly kind: MetricKind;
  readonly help: string;
  /** The internal metric it reads; `{label}` segments bind labels. */
  readonly from: string;
  /** Multiply internal values by this for base units (ms to seconds: 0.001). */
  readonly scale?: number;
  /** Label values exported (at zero) before anything was counted, so rate() has a start. */
  readonly labels?: Readonly<Record<string, readonly string[]>>;
  /** Histogram bucket upper bounds, in base units. */
  readonly buckets?: readonly number[];
}

export type MetricCatalogue = readonly MetricSpec[];

/** Default histogram buckets in seconds (Prometheus client defaults, 5 ms to 10 s). */
export const DEFAULT_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export interface MetricPattern {
  readonly labelNames: readonly string[];
  /** The labels an internal name binds, or undefined when it is not this metric. */
  match(internal: string): Record<string, string> | undefined;
}

export function compilePattern(from: string): MetricPattern {
  const labelNames: string[] = [];
  const source = from
    .split(/(\{[a-z_][a-z0-9_]*\})/i)
    .map((part) => {
      const label = /^\{(.+)\}$/.exec(part);
      if (!label) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      labelNames.push(label[1]);
      return '([^.]+)';
    })
    .join('');
  const re = new RegExp(`^${source}$`);
  return {
    labelNames,
    match(internal) {
      const m = re.exec(internal);
      if (!m) return undefined;
      return Object.fromEntries(labelNames.map((name, i) => [name, m[i + 1]]));
    },
  };
}
