// The main thread's part of a run's state, as a checkpoint stores it (checkpoints.ts captures it): what
// must be restored, with the partitions' snapshots, to continue a run on any number of workers.
import type { MetricBookSnapshot } from '../metrics/metric-book.js';
import type { CheckerSnapshot } from '../invariants/invariant-checker.js';
import type { BreakingPointSnapshot } from '../invariants/breaking-point.js';
import type { Message } from '../partition/message.js';
import type { EffectRequest, ParamDelta } from '../protocol.js';

/** Everything the main thread must restore to continue a run from a checkpoint. */
export interface MainState {
  lastTickMs: number;
  ticks: number;
  digestA: number;
  digestB: number;
  params: ParamDelta[];
  /** Messages routed for the next tick (decoded, so a checkpoint is independent of the worker count). */
  routed: Message[];
  nextDue: number[];
  timelineIndex: number;
  liveEventEnds: { atMs: number; type: string }[];
  nextCollectAt: number;
  nextCheckpointAt: number;
  steps: number;
  messages: number;
  actorFailures: number;
  actors: number;
  pendingEffects: EffectRequest[];
  metrics: MetricBookSnapshot;
  checker: CheckerSnapshot;
  /** Ramp scenarios: the breaking-point tally so far. */
  breaking?: BreakingPointSnapshot;
}
