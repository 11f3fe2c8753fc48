// Where every SimCity actor lives. Each partition is populated in the same order (its booking-API
// node, its spawner, then its share of the vendor directory), so these ids are known everywhere
// without a lookup (placement's `actorIdOf(slot, partition, partitions)`).
import { actorIdOf, type ActorId, partitionOfActor } from '../../../runtime/sdk.js';

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

/** The booking-API node serving the citizens of `partition`. */
export function apiNodeId(partition: number): ActorId {
  return partition; // slot 0 of its partition: actorIdOf(0, partition, P) for any P
}

/** The spawner that creates the citizens of `partition`. */
export function spawnerId(partition: number, partitions: number): ActorId {
  return actorIdOf(1, partition, partitions);
}

/** Vendor `index` of the city-wide directory (0-based). */
export function vendorId(index: number, partitions: number): ActorId {
  return actorIdOf(2 + Math.floor(index / partitions), index % partitions, partitions);
}

export function partitionOf(id: ActorId, partitions: number): number {
  return partitionOfActor(id, partitions);
}

/** Synthetic identities never collide with real customers. */
export function syntheticEmail(id: ActorId): string {
  return `synthetic+${id}@example.com`;
}

/** Sim time at which the appointment hour `hour` is over. */
export function hourEndMs(hour: number): number {
  return (hour + 1) * HOUR_MS;
}
