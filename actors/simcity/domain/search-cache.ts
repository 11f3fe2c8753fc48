// The search cache of one API node, as the share of hot search results it holds. Fleet traffic
// and the cache warmer refill it towards a ceiling with a time constant; writes invalidate a share
// of it every minute; an invalidation storm invalidates most of it, and it refills after the storm.
export interface SearchCacheState {
  /** Share of hot search results cached, 0..1; a lookup hits with this probability. */
  fill: number;
}

export interface CacheMinute {
  /** Share of entries invalidated this minute, in percent. */
  invalidatedPct: number;
}

export function newSearchCache(ceiling: number): SearchCacheState {
  return { fill: ceiling }; // staging caches are warm when a run starts
}

/** Advance the cache by one sim minute. */
export function cacheMinute(
  cache: SearchCacheState,
  invalidationRate: number,
  ceiling: number,
  refillMin: number,
): CacheMinute {
  cache.fill *= 1 - invalidationRate;
  cache.fill += (ceiling - cache.fill) * (1 - Math.exp(-1 / refillMin));
  return { invalidatedPct: invalidationRate * 100 };
}
