// Where records fall in [start_time, end_time): one-hour segments weighted by the distribution
// method, counts by largest remainder (they add up to total_records exactly), and arrival times
// inside a segment drawn from the segment's own stream, so expanding a segment late (after a
// crash) or on another machine gives the same times.
import { namedRng } from '../../../runtime/sdk.js';
import type { Distribution } from './policies.js';

export const SEGMENT_MS = 3_600_000;
const HOUR_MS = 3_600_000;

/**
 * Relative arrival rate of an hour of the week (UTC): office hours with a late-morning peak, quiet nights and weekends.
 */
export function businessHourWeight(epochMs: number): number {
  const hour = Math.floor(epochMs / HOUR_MS) % 24;
  // 1970-01-01 was a Thursday: day 0 of the epoch is weekday 4 (Monday = 1).
  const weekday = (Math.floor(epochMs / 86_400_000) + 4) % 7;
  const weekend = weekday === 0 || weekday === 6;
  const shape = hour >= 9 && hour < 17 ? (hour >= 10 && hour < 12 ? 1.3 : 1) : hour >= 7 && hour < 20 ? 0.3 : 0.05;
  return weekend ? shape * 0.15 : shape;
}

export function segmentCount(windowMs: number): number {
  return Math.max(1, Math.ceil(windowMs / SEGMENT_MS));
}

/** Records per one-hour segment; they sum to `total`. */
export function segmentCounts(total: number, windowMs: number, method: Distribution, startEpochMs: number): number[] {
  const n = segmentCount(windowMs);
  const weights = Array.from({ length: n }, (_, i) => {
    const length = Math.min(SEGMENT_MS, windowMs - i * SEGMENT_MS) / SEGMENT_MS;
    const shape =
      method === 'uniform'
        ? 1
        : method === 'front_loaded'
          ? 2 * (1 - (i + 0.5) / n)
          : businessHourWeight(startEpochMs + i * SEGMENT_MS);
    return Math.max(0, length * shape);
  });
  const sum = weights.reduce((a, b) => a + b, 0) || 1;
  const exact = weights.map((w) => (w / sum) * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  // Largest remainders first; ties to the earlier segment, so the order is total.
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k].i]++;
  return counts;
}

/** Arrival times (sim ms, ascending) of segment `index`'s `count` records. */
export function segmentArrivals(
  seed: number,
  simulation: string,
  index: number,
  count: number,
  windowMs: number,
): number[] {
  const rng = namedRng(seed, `${simulation}:segment:${index}`);
  const from = index * SEGMENT_MS;
  const span = Math.min(SEGMENT_MS, windowMs - from);
  const times = Array.from({ length: count }, () => from + Math.floor(rng.float() * span));
  return times.sort((a, b) => a - b);
}
