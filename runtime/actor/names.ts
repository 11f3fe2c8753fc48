// Stable names for actors that the outside world addresses (an order intent's id, a CRM record's
// key): a name maps to a partition by a fixed hash, whatever the worker count, so a pack that
// spawns one router actor per partition (as Akka's cluster sharding routes an entity id to its
// shard) can resolve any name to an actor id without a registry the main thread would have to keep.

/** FNV-1a over the name's UTF-16 code units, reduced to a partition index. */
export function partitionOfName(name: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}
