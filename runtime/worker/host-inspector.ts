// The control plane of a partition host: read-only questions a person or the HTTP API asks while a
// run goes on (an actor's live state, partition stats). In a worker it is exposed over comlink on
// its own MessagePort, so it never queues behind the tick protocol; inline it is called directly.
import type { ActorInspection } from '../protocol.js';
import type { PartitionHost } from './partition-host.js';

export interface HostInspector {
  inspect(actorId: number): ActorInspection | undefined;
  stats(): { partitions: number[]; actors: number };
}

export function createHostInspector(host: PartitionHost): HostInspector {
  return {
    // A structured clone of live state: the caller gets a copy, never a handle into the partition.
    inspect: (actorId) => structuredClone(host.inspect(actorId)),
    stats: () => host.stats(),
  };
}
