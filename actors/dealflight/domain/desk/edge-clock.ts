// Ids and clocks for requests that come from outside (HTTP, Slack, the CLI). This is the desk's
// edge, on the main thread: nothing here runs inside a simulation's tick, and the stored results
// never depend on it (an id names a run; a latency is telemetry; a Slack timestamp is checked
// against now). Wall time comes from the runtime's pacing module, its one reader.
import { randomUUID } from 'node:crypto';
import { wallEpochMs, wallNowMs } from '../../../../runtime/sdk.js';

export interface EdgeClock {
  newId(): string;
  /** Starts a stopwatch; the returned function reads the elapsed ms. */
  stopwatch(): () => number;
  /** Wall-clock Unix seconds (Slack's request timestamps). */
  nowEpochS(): number;
}

export const SYSTEM_EDGE_CLOCK: EdgeClock = {
  newId: () => randomUUID(),
  stopwatch: () => {
    const started = wallNowMs();
    return () => Math.round((wallNowMs() - started) * 1000) / 1000;
  },
  nowEpochS: () => Math.floor(wallEpochMs() / 1000),
};
