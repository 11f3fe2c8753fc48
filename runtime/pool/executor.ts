// The scheduler's view of where partitions run. Two implementations: inline (workers = 0) and a
// pinned worker pool. Results always come back in partition order, never completion order.
import type {
  ActorInspection,
  HostTickResult,
  LoadResult,
  LoadSpec,
  PartitionTickResult,
  TickTask,
} from '../protocol.js';
import type { SealedSnapshot } from '../partition/sealed-snapshot.js';
import type { MetricDelta } from '../metrics/metric-recorder.js';
import type { Mail } from '../partition/message.js';

/**
 * One window's task for every host: inbound mail indexed by host. This is the exchange between
 * partitions, and the one seam a transport implements: threads today (worker-pool-executor.ts),
 * the main thread inline; partitions in processes on other hosts (over NATS) would be a third
 * PartitionExecutor with the same window contract.
 */
export interface PoolTickTask extends Omit<TickTask, 'inbound'> {
  inbound: Mail[][];
}

export interface PoolTickResult {
  /** In tick order, then partition order (see PartitionTickResult). */
  partitions: PartitionTickResult[];
  metrics: MetricDelta[];
  /** Outbound mail by destination host, from every host. */
  mail: Mail[][];
}

export interface PartitionExecutor {
  readonly workerCount: number;
  /** Hosts that partitions are spread over (1 inline, else the worker count). */
  readonly hostCount: number;
  /** Load every partition (fresh, or from snapshots indexed by partition). */
  load(
    spec: Omit<LoadSpec, 'indices' | 'snapshots' | 'hosts'>,
    snapshots: SealedSnapshot[] | undefined,
  ): Promise<LoadResult>;
  tick(task: PoolTickTask): Promise<PoolTickResult>;
  /** Every partition, sealed where it lives, in partition order. */
  snapshot(): Promise<SealedSnapshot[]>;
  inspect(actorId: number): Promise<ActorInspection | undefined>;
  /**
   * End the tick in flight now: it rejects with TickAbortedError and the workers still in it are
   * terminated. False when no tick is in flight or it cannot be ended (inline: the tick holds the
   * main thread itself).
   */
  abortTick(): boolean;
  /** Terminate one worker thread abruptly (chaos testing of worker death). */
  killWorker(slot: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A tick that did not come back within the watchdog's time: an actor in an endless loop, most
 * likely. Carries what the stuck worker was stepping (from its step marker); the run fails with it.
 */
export class TickOverrunError extends Error {
  constructor(
    readonly t: number,
    readonly watchdogMs: number,
    readonly slot: number,
    /** The actor being stepped when the watchdog fired, or -1 (between actors). */
    readonly actorId: number,
    /** Its kind's index in the pack's kinds, or -1. */
    readonly kindIndex: number,
  ) {
    super(`the tick at sim ${t} ms ran past the ${watchdogMs} ms watchdog in worker ${slot}`);
    this.name = 'TickOverrunError';
  }
}

/** The tick in flight was ended by abortTick() (an interrupt that would not wait any longer). */
export class TickAbortedError extends Error {
  constructor() {
    super('the tick in flight was aborted');
    this.name = 'TickAbortedError';
  }
}

/** Raised when a worker thread dies mid-request; the scheduler recovers from a checkpoint. */
export class WorkerLostError extends Error {
  constructor(readonly slot: number) {
    super(`worker ${slot} died`);
    this.name = 'WorkerLostError';
  }
}

/** Merge per-host results into one, in partition order. */
export function mergeHostResults(results: HostTickResult[], hosts: number): PoolTickResult {
  // One host (inline) has every partition, already in order: nothing to merge, every tick.
  if (results.length === 1 && hosts === 1)
    return {
      partitions: results[0].partitions,
      metrics: results[0].metrics,
      mail: [results[0].mail.filter((m) => m !== undefined)],
    };
  const partitions = results.flatMap((r) => r.partitions).sort((a, b) => a.t - b.t || a.index - b.index);
  const mail: Mail[][] = Array.from({ length: hosts }, () => []);
  for (const r of results) r.mail.forEach((m, h) => m && mail[h].push(m));
  return { partitions, metrics: results.flatMap((r) => r.metrics), mail };
}
