// The client side of HubSpot's limits, on the sim clock: a rolling 10 s window of sends kept a
// little below the account's maximum, a daily budget, and a cooldown after a 429. Both limits are
// tuned from the X-HubSpot-RateLimit-* headers of every answer, so a tier the scenario did not
// name is learnt from the first response. (The original refilled buckets once a minute at about
// 32 requests per 10 s and ignored the daily limit.)
import { DAY_MS, WINDOW_MS } from '../domain/crm-account.js';

export interface LimiterState {
  /** Send times inside the rolling window, oldest first. */
  sent: number[];
  windowMax: number;
  day: number;
  dayCount: number;
  dailyMax: number;
  cooldownUntilMs: number;
  throttled: number;
  /** The smoothing bucket: tokens now, and when they were last counted. */
  tokens: number;
  refilledAtMs: number;
}

export function newLimiter(windowMax: number, dailyMax: number): LimiterState {
  return {
    sent: [],
    windowMax,
    day: 0,
    dayCount: 0,
    dailyMax,
    cooldownUntilMs: 0,
    throttled: 0,
    tokens: burstOf(windowMax),
    refilledAtMs: 0,
  };
}

/** Earliest sim time a request may go (`nowMs` when it may go now). */
export function nextSendAt(l: LimiterState, nowMs: number, headroom: number): number {
  while (l.sent.length > 0 && l.sent[0] <= nowMs - WINDOW_MS) l.sent.shift();
  const day = Math.floor(nowMs / DAY_MS);
  if (day !== l.day) {
    l.day = day;
    l.dayCount = 0;
  }
  let at = Math.max(nowMs, l.cooldownUntilMs);
  if (l.dayCount >= l.dailyMax) at = Math.max(at, (day + 1) * DAY_MS);
  const allowed = Math.max(1, l.windowMax - headroom);
  // The window frees a slot when its oldest send is 10 s old.
  if (l.sent.length >= allowed) at = Math.max(at, l.sent[l.sent.length - allowed] + WINDOW_MS);
  refill(l, nowMs, allowed);
  if (l.tokens < 1) at = Math.max(at, nowMs + Math.ceil(((1 - l.tokens) * WINDOW_MS) / allowed));
  return at;
}

/** Sends in the rolling window that ends at `nowMs` (the limiter prunes older ones only when asked to send). */
export function windowUsed(l: LimiterState, nowMs: number): number {
  return l.sent.filter((t) => t > nowMs - WINDOW_MS).length;
}

export function recordSend(l: LimiterState, nowMs: number): void {
  l.sent.push(nowMs);
  l.dayCount++;
  l.tokens -= 1;
}

function burstOf(windowMax: number): number {
  return Math.max(1, Math.round(windowMax / 10));
}

function refill(l: LimiterState, nowMs: number, allowed: number): void {
  if (nowMs > l.refilledAtMs) {
    l.tokens = Math.min(burstOf(l.windowMax), l.tokens + ((nowMs - l.refilledAtMs) * allowed) / WINDOW_MS);
    l.refilledAtMs = nowMs;
  }
}

/** Learn the account's limits from an answer's headers (any answer: 2xx, 4xx or 5xx). */
export function tuneFromHeaders(l: LimiterState, headers: Record<string, string> | undefined): void {
  if (!headers) return;
  const max = Number(headers['x-hubspot-ratelimit-max']);
  if (Number.isInteger(max) && max > 0) l.windowMax = max;
  const daily = Number(headers['x-hubspot-ratelimit-daily']);
  if (Number.isInteger(daily) && daily > 0) l.dailyMax = daily;
  const dailyRemaining = Number(headers['x-hubspot-ratelimit-daily-remaining']);
  // The server's count wins over ours: other clients of the account spend the same budget.
  if (headers['x-hubspot-ratelimit-daily-remaining'] !== undefined && Number.isInteger(dailyRemaining))
    l.dayCount = Math.max(l.dayCount, l.dailyMax - dailyRemaining);
}

/** A 429 (or a throttling 500): nothing goes until the cooldown ends. */
export function startCooldown(l: LimiterState, nowMs: number, cooldownMs: number): void {
  l.cooldownUntilMs = Math.max(l.cooldownUntilMs, nowMs + cooldownMs);
  l.throttled++;
}
