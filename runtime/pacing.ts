// Pacing: the only module under runtime/ that reads wall time. The scheduler asks it how long to
// sleep between ticks in paced mode, and the runtime's own latency metrics (tick duration, drift,
// dispatch round trip) borrow its clock. Nothing that decides what a simulation does may call it.
import { performance } from 'node:perf_hooks';

export type Pace = 'turbo' | number;

/** Monotonic wall-clock milliseconds (fractional). */
export function wallNowMs(): number {
  return performance.now();
}

/** Wall-clock epoch milliseconds, for run records only (created/updated columns). */
export function wallEpochMs(): number {
  return Date.now();
}

/** A wall-clock timestamp (epoch ms, as the store keeps them) in ISO 8601, UTC. */
export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/**
 * Maps sim time to planned wall time for a paced run: `ratio` sim ms per real ms.
 * Re-anchored whenever the run starts or resumes, so a pause does not cause a catch-up burst.
 */
export class PaceController {
  private anchorWallMs = 0;
  private anchorSimMs = 0;

  constructor(readonly pace: Pace) {}

  anchor(simMs: number): void {
    this.anchorWallMs = wallNowMs();
    this.anchorSimMs = simMs;
  }

  /** Planned wall time (ms) at which sim time `simMs` should start; 0 when turbo. */
  plannedWallMs(simMs: number): number {
    if (this.pace === 'turbo') return 0;
    return this.anchorWallMs + (simMs - this.anchorSimMs) / this.pace;
  }

  /** Sim time that corresponds to the current wall time (turbo: undefined). */
  simNowMs(): number | undefined {
    if (this.pace === 'turbo') return undefined;
    return this.anchorSimMs + (wallNowMs() - this.anchorWallMs) * this.pace;
  }

  /** Milliseconds to sleep before sim time `simMs` is due; 0 when turbo or late. */
  sleepBeforeMs(simMs: number): number {
    if (this.pace === 'turbo') return 0;
    return Math.max(0, this.plannedWallMs(simMs) - wallNowMs());
  }

  /**
   * Drift as a rate, the runbook's unit: ms late per real second since the run (re)started. Over
   * at least 10 s, so one start-up hiccup (JIT, worker start) that paced mode then catches up on
   * does not read as a sustained lag; a run that cannot keep its pace grows past any threshold.
   */
  driftMsPerRealSecond(driftMs: number): number {
    if (this.pace === 'turbo') return 0;
    return driftMs / Math.max(10, (wallNowMs() - this.anchorWallMs) / 1000);
  }

  /** How late (ms) the tick at `simMs` started against its plan; 0 when turbo or early. */
  driftMs(simMs: number): number {
    if (this.pace === 'turbo') return 0;
    return Math.max(0, wallNowMs() - this.plannedWallMs(simMs));
  }
}

/** Longest single sleep; an open-ended run waits for its next due tick in steps of this. */
const MAX_SLEEP_MS = 60_000;

/** A sleep that an outside input can cut short (a policy change arriving over HTTP). */
export function interruptibleSleep(ms: number, signal: { wake?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0) return resolve();
    // Capped (setTimeout overflows past 2^31 ms): callers look at the clock again when it ends.
    const timer = setTimeout(done, Math.min(ms, MAX_SLEEP_MS));
    function done(): void {
      clearTimeout(timer);
      signal.wake = undefined;
      resolve();
    }
    signal.wake = done;
  });
}
