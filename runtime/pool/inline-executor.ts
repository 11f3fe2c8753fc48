// workers = 0: every partition runs on the main thread, through the same host code a worker runs.
import { PartitionHost } from '../worker/partition-host.js';
import { mergeHostResults, type PartitionExecutor, type PoolTickResult, type PoolTickTask } from './executor.js';
import type { LoadResult, LoadSpec, PartitionSnapshot, ActorInspection } from '../protocol.js';

export class InlineExecutor implements PartitionExecutor {
  readonly workerCount = 0;
  readonly hostCount = 1;
  private host = new PartitionHost();

  async load(spec: Omit<LoadSpec, 'indices' | 'snapshots' | 'encodeMessages' | 'hosts'>, snapshots: PartitionSnapshot[] | undefined): Promise<LoadResult> {
    const indices = Array.from({ length: spec.partitions }, (_, i) => i);
    this.host = new PartitionHost();
    // Snapshots cross a structured clone in pooled mode; clone here too so both modes behave alike.
    return this.host.load({ ...spec, encodeMessages: false, hosts: 1, indices, snapshots: snapshots ? structuredClone(snapshots) : undefined });
  }

  async tick(task: PoolTickTask): Promise<PoolTickResult> {
    return mergeHostResults([this.host.tick({ ...task, inbound: task.inbound[0] })], 1);
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
