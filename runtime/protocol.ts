// Every message that crosses a thread boundary, in one place. Plain interfaces only: these are
// structured-cloned (or transferred) between the scheduler and the partition hosts.
import type { ErrorCode } from './errors.js';
import type { ActorId, SimMs, SupervisionPolicy } from './actor/types.js';
import type { Mail, Message } from './partition/message.js';
import type { MetricDelta } from './metrics/metric-recorder.js';
import type { SealedSnapshot } from './partition/sealed-snapshot.js';
import type { WorkerRef } from './packs/worker-ref.js';

export interface ActorSnapshot {
  id: ActorId;
  kind: string;
  state: unknown;
  args: unknown;
  seq: number;
  wakeAt: number;
  started: boolean;
  rngState: number[] | undefined;
  /** The kind of the actor that held the slot before this one, when there was one. */
  stoppedKind?: string;
}

/** A stopped actor's slot waiting for reuse. */
export interface FreeSlotSnapshot {
  slot: number;
  /** The generation its next actor gets. */
  generation: number;
  /** The kind of the actor that left it, for naming dead letters. */
  stoppedKind: string | undefined;
}

export interface PartitionSnapshot {
  index: number;
  nextLocal: number;
  actors: ActorSnapshot[];
  mailbox: Message[];
  /**
   * Free slots, oldest first. Slots below `nextLocal` that are neither live nor free are retired;
   * a snapshot from before slots were reused has no list, and its run keeps not reusing them.
   */
  free?: FreeSlotSnapshot[];
}

export interface EffectRequest {
  effectId: string;
  actorId: ActorId;
  kind: string;
  request: unknown;
  /** Set by the scheduler for a deterministic job (PackJob.resultAfterMs): the sim time its result is applied. */
  dueAtMs?: number;
}

export interface TelemetryEvent {
  actorId: ActorId;
  type: string;
  data: unknown;
  simMs: SimMs;
}

export interface ActorFailure {
  actorId: ActorId;
  kind: string;
  policy: SupervisionPolicy;
  message: string;
}

/** A param change: value undefined removes the param. */
export type ParamDelta = [name: string, value: unknown];

export interface LoadSpec {
  runId: string;
  /** The pack's model, imported by URL: the runtime names no pack. */
  pack: WorkerRef;
  /**
   * Two int32s the host writes before each actor step (actor id, kind index; -1 between ticks),
   * shared with the main thread so a tick watchdog can name what a stuck worker was running.
   */
  stepProbe?: SharedArrayBuffer;
  seed: number;
  partitions: number;
  tickMs: number;
  /** How many hosts share the partitions: outbound mail is grouped by destination host. */
  hosts: number;
  /** Partition indices this host owns. */
  indices: number[];
  /** Full param set at the tick the host (re)starts from. */
  params: ParamDelta[];
  /** One per owned index, or undefined for a fresh run (the pack's setup populates). */
  snapshots: SealedSnapshot[] | undefined;
}

export interface LoadResult {
  /** Earliest due time per owned partition, in `indices` order. */
  nextDue: number[];
  actorCount: number;
}

/**
 * One window of ticks for a host: every tick from `t` to `until` (inclusive) at which one of its
 * partitions has work, with no exchange between hosts inside it (the run's lookahead makes that
 * safe: runtime/partition/lookahead.ts). A window of one tick is `until === t`.
 */
export interface TickTask {
  t: SimMs;
  until: SimMs;
  /** Inbound mail for this host's partitions. */
  inbound: Mail[];
  params: ParamDelta[];
  /** Ship metric deltas and reporter gauges after the window's first tick (`t`). */
  collect: boolean;
}

/** What one partition's tick produced, besides its outbound messages. */
export interface PartitionTickOutcome {
  digestA: number;
  digestB: number;
  effects: EffectRequest[];
  events: TelemetryEvent[];
  failures: ActorFailure[];
  steps: number;
  deadLetters: number;
  escalated: ActorFailure | undefined;
}

/**
 * One partition's tick within a window. A host reports every partition at the window's first tick
 * and, after it, only the ticks at which a partition had work; `nextDue` and `actorCount` are as of
 * the window's end on each partition's last result.
 */
export interface PartitionTickResult extends PartitionTickOutcome {
  /** The tick's sim time. */
  t: SimMs;
  index: number;
  /** Messages its actors sent this tick, to any partition (local mail never reaches the scheduler). */
  sent: number;
  nextDue: number;
  actorCount: number;
  /** Reporter values, when the task asked to collect. */
  gauges: Record<string, number> | undefined;
  /** One part per pack audit, in the pack's order, when the task asked to collect. */
  audits: unknown[] | undefined;
  execUs: number;
}

export interface HostTickResult {
  /** In tick order, then partition order. */
  partitions: PartitionTickResult[];
  /** Outbound mail by destination host (host of partition p: p % hosts). */
  mail: (Mail | undefined)[];
  /** Metric deltas, one per host, when the task asked to collect. */
  metrics: MetricDelta[];
}

export interface ActorInspection {
  id: ActorId;
  kind: string;
  state: unknown;
  wakeAt: number;
}

/** Requests on a worker's tick port; each carries an id echoed in the reply. */
export type HostRequest =
  | { id: number; op: 'load'; spec: LoadSpec }
  | { id: number; op: 'tick'; task: TickTask }
  | { id: number; op: 'snapshot' };

export type HostReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { message: string; stack?: string; code?: ErrorCode } };
