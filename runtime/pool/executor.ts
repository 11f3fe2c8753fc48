// The scheduler's view of where partitions run. Two implementations: inline (workers = 0) and a
// pinned worker pool. Results always come back in partition order, never completion order.
import type { ActorInspection, HostTickResult, LoadResult, LoadSpec, PartitionSnapshot, TickTask } from '../protocol.js';

export interface PartitionExecutor {
  readonly workerCount: number;
  /** Load every partition (fresh, or from snapshots indexed by partition). */
  load(spec: Omit<LoadSpec, 'indices' | 'snapshots'>, snapshots: PartitionSnapshot[] | undefined): Promise<LoadResult>;
  tick(task: TickTask): Promise<HostTickResult>;
  snapshot(): Promise<PartitionSnapshot[]>;
  inspect(actorId: number): Promise<ActorInspection | undefined>;
  /** Terminate one worker thread abruptly (chaos testing of worker death). */
  killWorker(slot: number): Promise<void>;
  close(): Promise<void>;
}

/** Raised when a worker thread dies mid-request; the scheduler recovers from a checkpoint. */
export class WorkerLostError extends Error {
  constructor(readonly slot: number) {
    super(`worker ${slot} died`);
    this.name = 'WorkerLostError';
  }
}

/** Partition indices owned by worker `slot` of `workers`: a fixed round-robin mapping. */
export function partitionsOfSlot(slot: number, workers: number, partitions: number): number[] {
  const out: number[] = [];
  for (let p = slot; p < partitions; p += workers) out.push(p);
  return out;
}

/** Merge per-host results into one, in partition order. */
export function mergeHostResults(results: HostTickResult[]): HostTickResult {
  const partitions = results.flatMap((r) => r.partitions).sort((a, b) => a.index - b.index);
  return { partitions, metrics: results.flatMap((r) => r.metrics) };
}
