// How long an API call takes: a base cost per endpoint, stretched by queueing as the node fills
// up (the M/M/1 factor 1/(1-utilisation)) and spread by log-normal jitter. Under a storm the
// cache misses more, misses cost a database query, and the queueing factor makes all of it slower.
import { type Rng, standardNormal } from '../../../runtime/sdk.js';
import type { Endpoint } from '../sim/messages.js';

/** Unloaded median cost per call (sim ms). A search served from cache costs SEARCH_HIT_MS. */
export const BASE_LATENCY_MS: Record<Endpoint, number> = { search: 110, book: 130, reschedule: 120, cancel: 80 };
export const SEARCH_HIT_MS = 25;
/** Log-normal sigma: p95 is about 1.8x the median, p99 about 2.3x. */
const JITTER_SIGMA = 0.35;
/** Utilisation is capped below 1 so the queueing factor stays finite (at most 50x). */
const MAX_UTILISATION = 0.98;

export function callLatencyMs(baseMs: number, utilisation: number, rng: Rng): number {
  const queueing = 1 / (1 - Math.min(Math.max(utilisation, 0), MAX_UTILISATION));
  return Math.max(1, Math.round(baseMs * queueing * Math.exp(JITTER_SIGMA * standardNormal(rng))));
}

/** A Poisson draw (inversion; fine for the small means of per-minute arrivals), capped at `max`. */
export function poisson(rng: Rng, mean: number, max = 10_000): number {
  if (mean <= 0) return 0;
  if (mean > 50) return Math.min(max, Math.max(0, Math.round(mean + Math.sqrt(mean) * standardNormal(rng))));
  let k = 0;
  let p = Math.exp(-mean);
  let cumulative = p;
  const u = rng.float();
  while (u > cumulative && k < max) {
    k++;
    p *= mean / k;
    cumulative += p;
  }
  return k;
}
