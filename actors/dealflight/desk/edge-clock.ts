// Ids and stopwatches for requests that come from outside (HTTP, Slack, the CLI). This is the
// desk's edge, on the main thread: nothing here runs inside a simulation's tick, and the stored
// results never depend on it (an id names a run; a latency is telemetry).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

export interface EdgeClock {
  newId(): string;
  /** Starts a stopwatch; the returned function reads the elapsed ms. */
  stopwatch(): () => number;
}

export const SYSTEM_EDGE_CLOCK: EdgeClock = {
  newId: () => randomUUID(),
  stopwatch: () => {
    const started = performance.now();
    return () => Math.round((performance.now() - started) * 1000) / 1000;
  },
};
