// A token bucket per API node: `limitPerMin` units refill continuously up to one minute's worth.
export interface TokenBucketState {
  tokens: number;
  atMs: number;
}

export function newTokenBucket(limitPerMin: number): TokenBucketState {
  return { tokens: limitPerMin, atMs: 0 };
}

/** Take `units` tokens at sim time `nowMs`; false (and nothing taken) when the bucket is short. */
export function takeTokens(bucket: TokenBucketState, units: number, limitPerMin: number, nowMs: number): boolean {
  bucket.tokens = Math.min(limitPerMin, bucket.tokens + ((nowMs - bucket.atMs) / 60_000) * limitPerMin);
  bucket.atMs = nowMs;
  if (bucket.tokens < units) return false;
  bucket.tokens -= units;
  return true;
}
