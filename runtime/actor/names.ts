// Stable names for actors that the outside world addresses (an order intent's id, a customer record's
// key): a name maps to a partition by a fixed hash, whatever the worker count, so a pack that
// spawns one router actor per partition (as Akka's cluster sharding routes an entity id to its
// shard) can resolve any name to an actor id without a registry the main thread would have to keep.

/** FNV-1a over a text's UTF-16 code units, as an unsigned 32-bit number. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A name's partition: its FNV-1a hash reduced to a partition index. */
export function partitionOfName(name: string, partitions: number): number {
  return fnv1a(name) % partitions;
}
