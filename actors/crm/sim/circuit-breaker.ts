// A circuit breaker on the sim clock, with the semantics of cockatiel's ConsecutiveBreaker /
// resilience4j's count window (those read Date.now and Math.random, so they cannot run inside a
// deterministic run): closed until more than `failureThreshold` failures fall in a rolling
// window; open for `openMs`; then half-open, letting one probe through: its success closes the
// breaker, its failure opens it again.

export type BreakerStatus = 'closed' | 'open' | 'half_open';

export interface BreakerSettings {
  failureThreshold: number;
  windowMs: number;
  openMs: number;
}

export interface BreakerState {
  status: BreakerStatus;
  failures: number[];
  openUntilMs: number;
  probeInFlight: boolean;
  opened: number;
}

export function newBreaker(): BreakerState {
  return { status: 'closed', failures: [], openUntilMs: 0, probeInFlight: false, opened: 0 };
}

/** Earliest time a request may go through the breaker; moves open to half-open when its time is up. */
export function breakerReadyAt(b: BreakerState, nowMs: number): number {
  if (b.status === 'open') {
    if (nowMs < b.openUntilMs) return b.openUntilMs;
    b.status = 'half_open';
    b.probeInFlight = false;
  }
  // Half-open: one probe at a time; its answer decides (no time to wait for: an answer wakes us).
  if (b.status === 'half_open' && b.probeInFlight) return Infinity;
  return nowMs;
}

/** A request goes: in half-open it is the probe. */
export function breakerSent(b: BreakerState): void {
  if (b.status === 'half_open') b.probeInFlight = true;
}

export function breakerSuccess(b: BreakerState): void {
  if (b.status !== 'closed') {
    b.status = 'closed';
    b.failures = [];
  }
  b.probeInFlight = false;
}

export function breakerFailure(b: BreakerState, nowMs: number, s: BreakerSettings): void {
  if (b.status === 'half_open') {
    open(b, nowMs, s);
    return;
  }
  b.failures.push(nowMs);
  while (b.failures.length > 0 && b.failures[0] <= nowMs - s.windowMs) b.failures.shift();
  if (b.status === 'closed' && b.failures.length > s.failureThreshold) open(b, nowMs, s);
}

function open(b: BreakerState, nowMs: number, s: BreakerSettings): void {
  b.status = 'open';
  b.openUntilMs = nowMs + s.openMs;
  b.probeInFlight = false;
  b.failures = [];
  b.opened++;
}
