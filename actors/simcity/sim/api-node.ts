// One node of the booking system's API, serving the citizens of its partition. Each call passes
// the rate limiter, then row-level security, then queues for the node's capacity; its latency
// comes from the latency model and the search cache. Writes are forwarded to the vendor that owns
// the slot; the vendor answers the citizen. Every minute the node ages its cache, refreshes its
// materialised view (unless paused) and lets new vendors join the directory.
import { type ActorContext, defineKind } from '../../../runtime/sdk.js';
import { activeEvent } from './chaos-events.js';
import { BASE_LATENCY_MS, SEARCH_HIT_MS, callLatencyMs } from '../domain/latency-model.js';
import { HOUR_MS, MINUTE_MS, vendorId } from './layout.js';
import { addLoad, loadPerMin, newLoadMeter, type LoadMeterState } from './load-meter.js';
import { isTaken, newView, noteBooked, refreshView, type ViewState } from '../domain/materialised-view.js';
import {
  type ApiReply,
  type ApiRequest,
  type Endpoint,
  type ErrorCause,
  NOTIFICATION_MS,
  type SimCityMessage,
  type VendorRequest,
} from './messages.js';
import { SIMCITY_POLICY_DEFAULTS, policy } from './policies.js';
import { newTokenBucket, takeTokens, type TokenBucketState } from '../domain/rate-limiter.js';
import { cacheMinute, newSearchCache, type SearchCacheState } from '../domain/search-cache.js';

export interface ApiNodeState {
  cache: SearchCacheState;
  view: ViewState;
  load: LoadMeterState;
  bucket: TokenBucketState;
  /** Vendors open for business (fractional: joins accumulate by rate). */
  vendorsOpen: number;
}

/** Searches retry a slot the view shows as taken this many times before offering it anyway. */
const SEARCH_TRIES = 3;
/** A cache miss queries the database: it loads the node more than a hit. */
const MISS_LOAD_UNITS = 1.5;
/** Rejections by the limiter or by RLS are cheap to answer. */
const FAST_REJECT_MS = 5;

type Ctx = ActorContext<SimCityMessage>;

export const apiNode = defineKind<ApiNodeState, SimCityMessage, void>({
  name: 'api-node',
  onFailure: 'restart',
  crossPartitionDelayMs: NOTIFICATION_MS, // writes forwarded to vendors
  init: () => ({
    cache: newSearchCache(SIMCITY_POLICY_DEFAULTS.cacheCeiling),
    view: newView(),
    load: newLoadMeter(),
    bucket: newTokenBucket(0),
    vendorsOpen: 0,
  }),
  receive(state, input, ctx) {
    if (input.type === 'start') {
      state.cache = newSearchCache(policy(ctx, 'cacheCeiling'));
      state.bucket = newTokenBucket(nodeShare(ctx, policy(ctx, 'rateLimitPerMin')));
      state.vendorsOpen = Math.min(policy(ctx, 'vendors'), policy(ctx, 'initialVendors'));
      ctx.wakeAt(ctx.now + MINUTE_MS);
      return;
    }
    if (input.type === 'wake') {
      everyMinute(state, ctx);
      ctx.wakeAt(ctx.now + MINUTE_MS);
      return;
    }
    if (input.type === 'message') handleCall(state, input.from, input.body as ApiRequest, ctx);
  },
});

function everyMinute(state: ApiNodeState, ctx: Ctx): void {
  const storm = activeEvent(ctx, 'CACHE_INVALIDATION_STORM');
  const rate = storm ? storm.invalidationRate : policy(ctx, 'baseInvalidationRate');
  const minute = cacheMinute(state.cache, rate, policy(ctx, 'cacheCeiling'), policy(ctx, 'cacheRefillMin'));
  ctx.observe('cache.invalidated_pct', minute.invalidatedPct);
  if (
    !activeEvent(ctx, 'PAUSE_MV_REFRESH') &&
    ctx.now - state.view.refreshedAtMs >= policy(ctx, 'mvRefreshEveryMin') * MINUTE_MS
  ) {
    refreshView(state.view, ctx.now);
  }
  state.vendorsOpen = Math.min(policy(ctx, 'vendors'), state.vendorsOpen + policy(ctx, 'vendorSpawnRate'));
}

function handleCall(state: ApiNodeState, citizen: number, call: ApiRequest, ctx: Ctx): void {
  const endpoint: Endpoint = call.op;
  ctx.count('api.requests');
  const burst = activeEvent(ctx, 'RATE_LIMIT_BURST');
  const units = burst ? burst.multiplier : 1;
  if (!takeTokens(state.bucket, units, nodeShare(ctx, policy(ctx, 'rateLimitPerMin')), ctx.now)) {
    return fail(citizen, endpoint, 'rate_limited', FAST_REJECT_MS, ctx);
  }
  if (rlsDenies(endpoint, ctx)) return fail(citizen, endpoint, 'rls_denied', FAST_REJECT_MS, ctx);

  let baseMs = BASE_LATENCY_MS[endpoint];
  let loadUnits = units;
  if (endpoint === 'search') {
    ctx.count('cache.lookups');
    if (ctx.rng.chance(state.cache.fill)) {
      ctx.count('cache.hits');
      baseMs = SEARCH_HIT_MS;
    } else {
      loadUnits *= MISS_LOAD_UNITS;
    }
  }
  addLoad(state.load, loadUnits, ctx.now);
  const utilisation = loadPerMin(state.load, ctx.now) / nodeShare(ctx, policy(ctx, 'apiCapacityPerMin'));
  // Past capacity the node sheds the excess it cannot queue.
  if (utilisation > 1 && ctx.rng.chance(1 - 1 / utilisation))
    return fail(citizen, endpoint, 'overload', FAST_REJECT_MS, ctx);
  const latencyMs = callLatencyMs(baseMs, utilisation, ctx.rng);
  const timeoutMs = policy(ctx, 'apiTimeoutMs');
  if (latencyMs > timeoutMs) return fail(citizen, endpoint, 'timeout', timeoutMs, ctx);
  if (ctx.rng.chance(policy(ctx, 'baseErrorRate'))) return fail(citizen, endpoint, 'internal', latencyMs, ctx);
  observeLatency(endpoint, latencyMs, ctx);

  switch (call.op) {
    case 'search': {
      const reply = search(state, ctx);
      if (reply.viewAgeMs > policy(ctx, 'mvRefreshEveryMin') * MINUTE_MS) ctx.count('search.stale_results');
      ctx.send(citizen, reply, latencyMs);
      return;
    }
    case 'book':
      noteBooked(state.view, call.vendor, call.hour);
      return forward(call.vendor, { op: 'hold', citizen, hour: call.hour }, latencyMs, ctx);
    case 'reschedule':
      noteBooked(state.view, call.vendor, call.toHour);
      return forward(
        call.vendor,
        { op: 'move', citizen, fromHour: call.fromHour, toHour: call.toHour },
        latencyMs,
        ctx,
      );
    case 'cancel':
      return forward(call.vendor, { op: 'release', citizen, hour: call.hour }, latencyMs, ctx);
  }
}

/** A vendor and an hour the view believes free. */
function search(state: ApiNodeState, ctx: Ctx): ApiReply & { op: 'search-result' } {
  const open = Math.max(1, Math.floor(state.vendorsOpen));
  const horizon = policy(ctx, 'bookingHorizonHours');
  const nowHour = Math.floor(ctx.now / HOUR_MS);
  let vendor = 0;
  let hour = 0;
  for (let i = 0; i < SEARCH_TRIES; i++) {
    vendor = vendorId(ctx.rng.int(0, open - 1), ctx.partitions);
    hour = nowHour + ctx.rng.int(1, horizon);
    if (!isTaken(state.view, vendor, hour)) break;
  }
  return { op: 'search-result', vendor, hour, viewAgeMs: ctx.now - state.view.refreshedAtMs };
}

function rlsDenies(endpoint: Endpoint, ctx: Ctx): boolean {
  const misconfig = activeEvent(ctx, 'RLS_MISCONFIG');
  if (!misconfig) return false;
  if (misconfig.misconfigType === 'admin_access') return endpoint !== 'search';
  return ctx.rng.chance(0.5);
}

/** The write is answered after `latencyMs`; the vendor hears of it by notification after that. */
function forward(vendor: number, request: VendorRequest, latencyMs: number, ctx: Ctx): void {
  ctx.send(vendor, request, latencyMs + NOTIFICATION_MS);
}

function fail(citizen: number, endpoint: Endpoint, cause: ErrorCause, latencyMs: number, ctx: Ctx): void {
  ctx.count('api.errors');
  ctx.count(`api.errors.${cause}`);
  observeLatency(endpoint, latencyMs, ctx);
  ctx.send(citizen, { op: 'api-error', endpoint, cause } satisfies ApiReply, latencyMs);
}

function observeLatency(endpoint: Endpoint, latencyMs: number, ctx: Ctx): void {
  ctx.observe('api.latency_ms', latencyMs);
  ctx.observe(`api.${endpoint}.latency_ms`, latencyMs);
}

/** This node's share of a city-wide capacity: the city's API is one node per partition. */
function nodeShare(ctx: Ctx, cityWide: number): number {
  return cityWide / ctx.partitions;
}
