// A gauge's trend over the whole run: the least-squares slope of its value against sim time, per
// sim day. Memory that climbs with simulated work is a leak even while it is far from the
// machine's limit; a percentage-of-RAM gate only notices it at the end. Five running sums per
// gauge, so a week-long soak costs nothing to keep.
const DAY_MS = 86_400_000;
/** Fewer samples, or a shorter span, is not a trend: over hours, warm-up (JIT, heap sizing) looks like a leak. */
const MIN_SAMPLES = 10;
export const MIN_TREND_SPAN_MS = DAY_MS;

export interface TrendSums {
  n: number;
  sx: number;
  sy: number;
  sxy: number;
  sxx: number;
  firstMs: number;
  lastMs: number;
}

export class GaugeTrends {
  private sums = new Map<string, TrendSums>();

  add(metric: string, simMs: number, value: number): void {
    const x = simMs / DAY_MS;
    const t = this.sums.get(metric) ?? { n: 0, sx: 0, sy: 0, sxy: 0, sxx: 0, firstMs: simMs, lastMs: simMs };
    t.n++;
    t.sx += x;
    t.sy += value;
    t.sxy += x * value;
    t.sxx += x * x;
    t.lastMs = simMs;
    this.sums.set(metric, t);
  }

  /** Units per sim day; undefined until there are enough samples over at least a sim day. */
  slopePerDay(metric: string): number | undefined {
    const t = this.sums.get(metric);
    if (!t || t.n < MIN_SAMPLES || t.lastMs - t.firstMs < MIN_TREND_SPAN_MS) return undefined;
    const denominator = t.n * t.sxx - t.sx * t.sx;
    if (denominator <= 0) return undefined;
    return (t.n * t.sxy - t.sx * t.sy) / denominator;
  }

  snapshot(): Record<string, TrendSums> {
    return structuredClone(Object.fromEntries(this.sums));
  }

  restore(s: Record<string, TrendSums> | undefined): void {
    this.sums = new Map(Object.entries(structuredClone(s ?? {})));
  }
}
