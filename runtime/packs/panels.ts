// Dashboard panels declared as data: what a pack wants to see on the generic run page, bound to
// metric names and gate ids. The page (server/dashboard/run.js) renders any pack's panels; no
// pack writes page code to be watched.

/** Where a figure comes from: a histogram statistic, a counter, a gauge, or a ratio of counters. */
export interface FigureSource {
  readonly metric: string;
  /** For histograms: p50, p95, p99, max, mean, count. Counters and gauges: 'value'. */
  readonly statistic: 'p50' | 'p95' | 'p99' | 'max' | 'mean' | 'count' | 'value';
  /** Divide by this counter (error rate = errors over requests). */
  readonly over?: string;
}

export type Panel =
  | (FigureSource & {
      readonly kind: 'tile';
      readonly title: string;
      /** How to print it: a number with a unit, or a fraction shown as a percentage. */
      readonly unit?: string;
      readonly percent?: boolean;
      /** The gate this tile sits above; it takes the gate's verdict colour. */
      readonly gate?: string;
    })
  | (FigureSource & { readonly kind: 'chart'; readonly title: string; readonly unit?: string });

export type PanelCatalogue = readonly Panel[];
