// workers = 0: every partition runs on the main thread, through the same host code a worker runs.
import { PartitionHost } from '../worker/partition-host.js';
import type { PartitionExecutor } from './executor.js';
import type { HostTickResult, LoadResult, LoadSpec, PartitionSnapshot, TickTask, ActorInspection } from '../protocol.js';

export class InlineExecutor implements PartitionExecutor {
  readonly workerCount = 0;
  private host = new PartitionHost();

  async load(spec: Omit<LoadSpec, 'indices' | 'snapshots'>, snapshots: PartitionSnapshot[] | undefined): Promise<LoadResult> {
    const indices = Array.from({ length: spec.partitions }, (_, i) => i);
    this.host = new PartitionHost();
    // Snapshots cross a structured clone in pooled mode; clone here too so both modes behave alike.
    return this.host.load({ ...spec, indices, snapshots: snapshots ? structuredClone(snapshots) : undefined });
  }

  async tick(task: TickTask): Promise<HostTickResult> {
    return this.host.tick(task);
  }

  async snapshot(): Promise<PartitionSnapshot[]> {
    return structuredClone(this.host.snapshot());
  }

  async inspect(actorId: number): Promise<ActorInspection | undefined> {
    return structuredClone(this.host.inspect(actorId));
  }

  async killWorker(): Promise<void> {
    throw new Error('there are no worker threads to kill with workers = 0');
  }

  async close(): Promise<void> {}
}
