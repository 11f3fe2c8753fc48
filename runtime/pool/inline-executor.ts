// workers = 0: every partition runs on the main thread, through the same host code a worker runs.
import { PartitionHost } from '../worker/partition-host.js';
import { mergeHostResults, type PartitionExecutor, type PoolTickResult, type PoolTickTask } from './executor.js';
import type { LoadResult, LoadSpec, ActorInspection } from '../protocol.js';
import type { SealedSnapshot } from '../partition/sealed-snapshot.js';

export class InlineExecutor implements PartitionExecutor {
  readonly workerCount = 0;
  readonly hostCount = 1;
  private host = new PartitionHost();

  async load(
    spec: Omit<LoadSpec, 'indices' | 'snapshots' | 'hosts'>,
    snapshots: SealedSnapshot[] | undefined,
  ): Promise<LoadResult> {
    const indices = Array.from({ length: spec.partitions }, (_, i) => i);
    this.host = new PartitionHost();
    // Snapshots are sealed into bytes in both modes, so restored state never shares objects.
    return this.host.load({ ...spec, hosts: 1, indices, snapshots });
  }

  async tick(task: PoolTickTask): Promise<PoolTickResult> {
    return mergeHostResults([this.host.tick({ ...task, inbound: task.inbound[0] })], 1);
  }

  async snapshot(): Promise<SealedSnapshot[]> {
    return this.host.snapshot();
  }

  async inspect(actorId: number): Promise<ActorInspection | undefined> {
    return structuredClone(this.host.inspect(actorId));
  }

  abortTick(): boolean {
    return false; // a tick in progress holds this very thread: nothing can run to end it
  }

  async killWorker(): Promise<void> {
    throw new Error('there are no worker threads to kill with workers = 0');
  }

  async close(): Promise<void> {}
}
