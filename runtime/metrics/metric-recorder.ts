// Worker-side metric recording: HDR histograms and counters that accumulate between metric
// collections, then ship as deltas (encoded histograms, counter sums) and reset.
import { createHistogram, encodeHistogram, recordInto, type Histogram } from './histogram.js';
import { BucketTally } from './bucket-tally.js';

export interface MetricDelta {
  histograms: Record<string, string>;
  counters: Record<string, number>;
}

interface Recorded {
  histogram: Histogram;
  /** Values land here first; the histogram gets them per bucket when the interval closes. */
  tally: BucketTally;
}

export class MetricRecorder {
  private histograms = new Map<string, Recorded>();
  private counters = new Map<string, number>();
  /** Hot loops observe one metric over and over: skip the map lookup for a repeat. */
  private lastMetric = '';
  private lastTally: BucketTally | undefined;

  observe(metric: string, value: number): void {
    // The repeat path alone is small enough for V8 to inline into an actor's step.
    if (metric !== this.lastMetric || !this.lastTally!.record(value)) this.observeOther(metric, value);
  }

  private observeOther(metric: string, value: number): void {
    let r = this.histograms.get(metric);
    if (r === undefined) {
      r = { histogram: createHistogram(true), tally: new BucketTally() };
      this.histograms.set(metric, r);
    }
    if (metric === this.lastMetric) {
      // The tally refused the value (too large): straight into the histogram.
      recordInto(r.histogram, value);
      return;
    }
    this.lastMetric = metric;
    this.lastTally = r.tally;
    if (!r.tally.record(value)) recordInto(r.histogram, value);
  }

  count(metric: string, n = 1): void {
    this.counters.set(metric, (this.counters.get(metric) ?? 0) + n);
  }

  /** Everything recorded since the last call; resets the recorder. */
  collect(): MetricDelta {
    const histograms: Record<string, string> = {};
    for (const [name, { histogram, tally }] of this.histograms) {
      tally.drainInto(histogram);
      if (histogram.totalCount > 0) histograms[name] = encodeHistogram(histogram);
      histogram.reset();
    }
    const counters: Record<string, number> = {};
    for (const [name, n] of this.counters) counters[name] = n;
    this.counters.clear();
    return { histograms, counters };
  }

  discard(): void {
    for (const { histogram, tally } of this.histograms.values()) {
      tally.drainInto(histogram);
      histogram.reset();
    }
    this.counters.clear();
  }
}
