// Hot-path recording for HDR histograms. A call into the HDR library costs ~50 ns per value (its
// WebAssembly build; ~160 ns in JS), which is a third of a trivial actor step. The tally does the
// library's own bucketing (same formula, same buckets) in a few integer operations into a plain
// counts array, and hands the library one (bucket value, count) pair per touched bucket when the
// interval closes. The resulting histogram is the same one recording each value would give:
// percentiles, min, max and mean of HDR are all read per bucket.
import { SIGNIFICANT_DIGITS, type Histogram } from './histogram.js';

/** log2 of half the sub-bucket count: HDR's sub-buckets give unit resolution up to 2 x 10^digits. */
const HALF_MAGNITUDE = Math.ceil(Math.log2(2 * 10 ** SIGNIFICANT_DIGITS)) - 1;
const HALF_COUNT = 2 ** HALF_MAGNITUDE;
/** Values below 2^32 (clz32 territory); anything larger goes to the library directly. */
const LIMIT = 2 ** 32;
const SLOTS = (32 - HALF_MAGNITUDE + 1) * HALF_COUNT;

export class BucketTally {
  private readonly counts = new Float64Array(SLOTS);
  /** Anything tallied since the last drain. */
  private dirty = false;

  /** Rounds and clamps as `recordInto` does; false when the value is too large to tally. */
  record(value: number): boolean {
    const v = value > 0 ? Math.round(value) : 0;
    if (v >= LIMIT) return false;
    // HDR: bucket = max(floor(log2 v) - halfMagnitude, 0); sub-bucket = floor(v / 2^bucket),
    // here as an unsigned shift (exact below 2^32).
    let bucket = 31 - Math.clz32(v) - HALF_MAGNITUDE;
    if (bucket < 0) bucket = 0;
    const sub = v >>> bucket;
    this.counts[((bucket + 1) << HALF_MAGNITUDE) + sub - HALF_COUNT]++;
    this.dirty = true;
    return true;
  }

  /**
   * Add everything tallied to `h` and start again. It scans every slot (SLOTS, ~24k) rather than
   * a tracked range: a drain comes once per metric per interval, a record once per step, and
   * tracking the range put two compares and up to two stores into every record.
   */
  drainInto(h: Histogram): void {
    if (!this.dirty) return;
    const counts = this.counts;
    for (let i = 0; i < SLOTS; i++) {
      const n = counts[i];
      if (n === 0) continue;
      h.recordValueWithCount(valueOfIndex(i), n);
      counts[i] = 0;
    }
    this.dirty = false;
  }
}

/** The lowest value of the bucket at `index` (HDR's valueFromIndex). */
function valueOfIndex(index: number): number {
  let bucket = Math.floor(index / HALF_COUNT) - 1;
  let sub = (index % HALF_COUNT) + HALF_COUNT;
  if (bucket < 0) {
    sub -= HALF_COUNT;
    bucket = 0;
  }
  return sub * 2 ** bucket;
}
