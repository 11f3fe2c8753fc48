// Where an actor lives, in one place: actor id -> partition -> host. Partition p holds the ids
// p, p + P, p + 2P, ... (slot s of partition p is s * P + p), and host h (a worker thread, or the
// main thread inline) runs partitions h, h + H, h + 2H, ... The run, the executors, the partitions
// and the packs all place actors through these functions, so the formula can change here alone.
//
// A stopped actor's slot is reused by a later spawn, so that memory follows the live actors and
// not every actor a week-long run ever spawned. The id keeps the two apart: it carries the slot's
// generation above the place, id = generation * ID_SPAN + (slot * P + p), and mail for an older
// generation is a dead letter instead of reaching the slot's new occupant (Akka's incarnation
// uid does the same job). Generation 0, every actor spawned into a fresh slot, has the plain id.
import type { ActorId } from './actor/types.js';
import { fnv1a } from './actor/names.js';

/** Partitions a run may have (the scenario's `partitions`). */
export const MAX_PARTITIONS = 1024;
/** Slots one partition may hold: live actors at once, not actors ever spawned. */
export const MAX_SLOTS = 2 ** 24;
/** Ids of one generation: every (slot, partition) place. */
export const ID_SPAN = MAX_SLOTS * MAX_PARTITIONS;
/** The last generation a slot may reach with ids a double holds exactly; a slot past it is retired. */
export const MAX_GENERATION = Math.floor(Number.MAX_SAFE_INTEGER / ID_SPAN) - 1;

/** An actor's place, slot * P + p: its id without the generation. */
export function placeOfActor(id: ActorId): number {
  // Most ids are of generation 0: no floating-point remainder for those.
  return id < ID_SPAN ? id : id % ID_SPAN;
}

/** How many times the actor's slot had been reused when it was spawned. */
export function generationOfActor(id: ActorId): number {
  return Math.floor(id / ID_SPAN);
}

/** The partition that owns an actor. */
export function partitionOfActor(id: ActorId, partitions: number): number {
  return placeOfActor(id) % partitions;
}

/** The id of the actor in `slot` of `partition`, of the slot's `generation` (0 for a slot's first actor). */
export function actorIdOf(slot: number, partition: number, partitions: number, generation = 0): ActorId {
  return generation * ID_SPAN + slot * partitions + partition;
}

/** The slot an actor occupies in its partition. */
export function slotOfActor(id: ActorId, partition: number, partitions: number): number {
  return (placeOfActor(id) - partition) / partitions;
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
