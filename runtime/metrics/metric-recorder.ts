// Worker-side metric recording: HDR histograms and counters that accumulate between metric
// collections, then ship as deltas (encoded histograms, counter sums) and reset.
import { createHistogram, encodeHistogram, recordInto, type Histogram } from './histogram.js';

export interface MetricDelta {
  histograms: Record<string, string>;
  counters: Record<string, number>;
}

export class MetricRecorder {
  private histograms = new Map<string, Histogram>();
  private counters = new Map<string, number>();

  observe(metric: string, value: number): void {
    let h = this.histograms.get(metric);
    if (h === undefined) {
      h = createHistogram(true);
      this.histograms.set(metric, h);
    }
    recordInto(h, value);
  }

  count(metric: string, n = 1): void {
    this.counters.set(metric, (this.counters.get(metric) ?? 0) + n);
  }

  /** Everything recorded since the last call; resets the recorder. */
  collect(): MetricDelta {
    const histograms: Record<string, string> = {};
    for (const [name, h] of this.histograms) {
      if (h.totalCount > 0) histograms[name] = encodeHistogram(h);
      h.reset();
    }
    const counters: Record<string, number> = {};
    for (const [name, n] of this.counters) counters[name] = n;
    this.counters.clear();
    return { histograms, counters };
  }

  discard(): void {
    for (const h of this.histograms.values()) h.reset();
    this.counters.clear();
  }
}
