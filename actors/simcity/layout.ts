
import { type ActorId } from '../../runtime/sdk.js';

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

/** The booking-API node serving the citizens of `partition`. */
export function apiNodeId(partition: number): ActorId {
  return partition;
}

/** The spawner that creates the citizens of `partition`. */
export function spawnerId(partition: number, partitions: number): ActorId {
  return partitions + partition;
}

/** Vendor `index` of the city-wide directory (0-based). */
export function vendorId(index: number, partitions: number): ActorId {
  return (2 + Math.floor(index / partitions)) * partitions + (index % partitions);
}

export function partitionOf(id: ActorId, partitions: number): number {
  return id % partitions;
}

/** Synthetic identities never collide with real customers. */
export function syntheticEmail(id: ActorId): string {
  return `synthetic+${id}@example.com`;
}

/** Sim time at which the appointment hour `hour` is over. */
export function hourEndMs(hour: number): number {
  return (hour + 1) * HOUR_MS;
}
