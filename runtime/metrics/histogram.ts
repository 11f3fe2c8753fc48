// HDR histogram helpers: one way to build, encode, merge and summarise, shared by workers (which
// record) and the main thread (which merges deltas and reports).
import * as hdr from 'hdr-histogram-js';

export type Histogram = hdr.Histogram;

export interface Summary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  /** HdrHistogram compressed base64 form, readable by other HDR tools. */
  hdr: string;
}

let wasmReady = false;

/** Load the WebAssembly build once per thread; recorders on the hot path use it (~4x faster). */
export async function initFastHistograms(): Promise<void> {
  if (wasmReady) return;
  await hdr.initWebAssembly();
  wasmReady = true;
}

/**
 * Two significant digits (values within 1%): a summary walks the counts array, and with three
 * digits that array is 8x longer; closing metric intervals was dominated by those walks.
 * 32-bit buckets: measured here at ~160 ns per record in JS and ~47 ns in WebAssembly, against
 * ~760 ns for the 'packed' layout. WebAssembly histograms live outside the JS heap and must be
 * destroyed, so only long-lived recorders ask for them.
 */
export const SIGNIFICANT_DIGITS = 2;

export function createHistogram(fast = false): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    // The bucket tally (bucket-tally.ts) assumes unit resolution at the bottom.
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2,
    autoResize: true,
    useWebAssembly: fast && wasmReady,
  });
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 32, false);
}

/** HDR records integers; fractional values are rounded, negatives clamp to 0. */
export function recordInto(h: Histogram, value: number): void {
  h.recordValue(value > 0 ? Math.round(value) : 0);
}

export function summarize(h: Histogram): Summary {
  if (h.totalCount === 0)
    return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, hdr: '' };
  return { ...statistics(h), hdr: encodeHistogram(h) };
}

/** Every summary statistic in one walk, without the (compressing) encoding. */
export function statistics(h: Histogram): Omit<Summary, 'hdr'> {
  const count = h.totalCount;
  if (count === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
  const [p50, p90, p95, p99, p999, mean] = onePass(h, SUMMARY_PERCENTILES);
  return {
    count,
    min: h.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : h.minNonZeroValue,
    mean: round3(mean),
    p50,
    p90,
    p95,
    p99,
    p999,
    max: h.maxValue,
  };
}

const SUMMARY_PERCENTILES = [50, 90, 95, 99, 99.9];

/** The counts-array side of hdr-histogram-js's JS histograms (the main thread's merged ones). */
interface CountsArrayView {
  countsArrayLength: number;
  getCountAtIndex(i: number): number;
  valueFromIndex(i: number): number;
  highestEquivalentValue(v: number): number;
  medianEquivalentValue(v: number): number;
}

/**
 * Ascending percentiles and then the mean, in one walk over the counts: the library answers each
 * percentile with its own walk and the mean with a slow iterator, which made summaries the main
 * cost of closing a metrics interval. Same rounding rules as `getValueAtPercentile` and `mean`.
 */
function onePass(h: Histogram, percentiles: readonly number[]): number[] {
  const v = h as unknown as CountsArrayView;
  if (typeof v.getCountAtIndex !== 'function') return [...percentiles.map((p) => h.getValueAtPercentile(p)), h.mean];
  const total = h.totalCount;
  const targets = percentiles.map((p) => {
    const fp = (Math.min(p, 100) / 100) * total;
    return Math.max(Math.ceil(fp - ulp(fp)), 1);
  });
  const out = new Array<number>(percentiles.length + 1).fill(0);
  let next = 0;
  let cumulative = 0;
  let sum = 0;
  for (let i = 0; i < v.countsArrayLength; i++) {
    const n = v.getCountAtIndex(i);
    if (n === 0) continue;
    cumulative += n;
    const value = v.valueFromIndex(i);
    sum += v.medianEquivalentValue(value) * n;
    while (next < targets.length && cumulative >= targets[next]) out[next++] = v.highestEquivalentValue(value);
  }
  out[percentiles.length] = sum / total;
  return out;
}

/**
 * Cumulative counts at each upper bound (values scaled by `scale` first), the sum and the count:
 * a Prometheus histogram from an HDR one. Each HDR bucket counts at its highest equivalent value,
 * so a bucket boundary is exact to the histogram's precision (2 significant digits). For the
 * main thread's JS histograms (the metric book's), which expose their counts array.
 */
export function cumulativeBuckets(
  h: Histogram,
  bounds: readonly number[],
  scale = 1,
): { counts: number[]; sum: number; count: number } {
  const counts = new Array<number>(bounds.length).fill(0);
  const v = h as unknown as CountsArrayView;
  let sum = 0;
  if (h.totalCount === 0) return { counts, sum, count: 0 };
  for (let i = 0; i < v.countsArrayLength; i++) {
    const n = v.getCountAtIndex(i);
    if (n === 0) continue;
    const value = v.valueFromIndex(i);
    sum += v.medianEquivalentValue(value) * n * scale;
    const top = v.highestEquivalentValue(value) * scale;
    for (let b = 0; b < bounds.length; b++) if (top <= bounds[b]) counts[b] += n;
  }
  return { counts, sum, count: h.totalCount };
}

function ulp(x: number): number {
  return x === 0 ? Number.MIN_VALUE : 2 ** (Math.floor(Math.log2(Math.abs(x))) - 52);
}

export type HistogramStatistic = Exclude<keyof Summary, 'hdr'>;

const PERCENTILE: Partial<Record<HistogramStatistic, number>> = { p50: 50, p90: 90, p95: 95, p99: 99, p999: 99.9 };

/** One statistic, without computing (and encoding) the whole summary: invariants ask often. */
export function statOf(h: Histogram, statistic: HistogramStatistic): number {
  if (h.totalCount === 0) return 0;
  const percentile = PERCENTILE[statistic];
  if (percentile !== undefined) return onePass(h, [percentile])[0];
  switch (statistic) {
    case 'count':
      return h.totalCount;
    case 'min':
      return h.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : h.minNonZeroValue;
    case 'max':
      return h.maxValue;
    default:
      return round3(onePass(h, [])[0]);
  }
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
