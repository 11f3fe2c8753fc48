// The spawner of one partition: every sim minute, Poisson arrivals of new citizen sessions at
// this partition's share of `customerSpawnRate` (sessions per sim second, as k6's arrival rate;
// times the burst multiplier while a RATE_LIMIT_BURST runs), held under its share of
// `maxConcurrentAgents`. Arrivals are drawn per minute: one wake per minute keeps a spawner cheap.
import { defineKind } from '../../../runtime/sdk.js';
import { activeEvent } from './chaos-events.js';
import { poisson } from '../domain/latency-model.js';
import { MINUTE_MS, partitionOf } from './layout.js';
import type { SimCityMessage } from './messages.js';
import { policy } from './policies.js';

const SECONDS_PER_MINUTE = 60;

export interface SpawnerState {
  /** Citizens of this spawner in an active session. */
  active: number;
}

export const spawner = defineKind<SpawnerState, SimCityMessage, void>({
  name: 'spawner',
  onFailure: 'restart',
  crossPartitionDelayMs: Infinity, // it spawns into its own partition
  init: () => ({ active: 0 }),
  receive(state, input, ctx) {
    if (input.type === 'message') {
      state.active = Math.max(0, state.active - 1);
      return;
    }
    if (input.type === 'wake') {
      const burst = activeEvent(ctx, 'RATE_LIMIT_BURST');
      const perMinute =
        (SECONDS_PER_MINUTE * policy(ctx, 'customerSpawnRate') * (burst ? burst.multiplier : 1)) / ctx.partitions;
      const arrivals = poisson(ctx.rng, perMinute);
      const room = Math.max(
        0,
        capShare(policy(ctx, 'maxConcurrentAgents'), partitionOf(ctx.id, ctx.partitions), ctx.partitions) -
          state.active,
      );
      const spawned = Math.min(arrivals, room);
      for (let i = 0; i < spawned; i++) ctx.spawn('citizen', { spawner: ctx.id });
      state.active += spawned;
      if (spawned > 0) ctx.count('simcity.citizens_spawned', spawned);
      if (arrivals > spawned) ctx.count('simcity.spawn_capped', arrivals - spawned);
    }
    ctx.wakeAt(ctx.now + MINUTE_MS);
  },
});

/** An even split of a city-wide cap; the first `cap % partitions` partitions get one more. */
export function capShare(cap: number, partition: number, partitions: number): number {
  return Math.floor(cap / partitions) + (partition < cap % partitions ? 1 : 0);
}
