// Where an actor lives, in one place: actor id -> partition -> host. Partition p holds the ids
// p, p + P, p + 2P, ... (slot s of partition p is s * P + p), and host h (a worker thread, or the
// main thread inline) runs partitions h, h + H, h + 2H, ... The run, the executors, the partitions
// and the packs all place actors through these functions, so the formula can change here alone.
import type { ActorId } from './actor/types.js';
import { fnv1a } from './actor/names.js';

/** The partition that owns an actor. */
export function partitionOfActor(id: ActorId, partitions: number): number {
  return id % partitions;
}

/** The id of the actor in `slot` of `partition`. */
export function actorIdOf(slot: number, partition: number, partitions: number): ActorId {
  return slot * partitions + partition;
}

/** The slot an actor occupies in its partition. */
export function slotOfActor(id: ActorId, partition: number, partitions: number): number {
  return (id - partition) / partitions;
}

/** The host that runs a partition. */
export function hostOfPartition(partition: number, hosts: number): number {
  return partition % hosts;
}

/** The host that runs an actor. */
export function hostOfActor(id: ActorId, partitions: number, hosts: number): number {
  return hostOfPartition(partitionOfActor(id, partitions), hosts);
}

/** The partitions one host runs, in ascending order. */
export function partitionsOfHost(host: number, hosts: number, partitions: number): number[] {
  const out: number[] = [];
  for (let p = host; p < partitions; p += hosts) out.push(p);
  return out;
}

/**
 * A stable name's partition (an order intent's id, a record's key): its FNV-1a hash reduced to a
 * partition index, whatever the worker count, so a pack that spawns one router actor per partition
 * (as Akka's cluster sharding routes an entity id to its shard) resolves any name without a registry.
 */
export function partitionOfName(name: string, partitions: number): number {
  return fnv1a(name) % partitions;
}
