// A station: the single owner of its docks. Riders arrive at it as a Poisson stream whose rate
// follows the hour (the city's demand profile); a rider who finds no bike, or at the other end no
// free dock, is unmet demand. At each bucket boundary it reports its bikes to the dispatcher, and
// trucks load and unload at it. Bikes are never created or lost: a rider's bike travels in the
// 'ride' message, a truck's load in 'unload', and what does not fit waits in a parked truck.
import { type ActorContext, defineKind, exponential } from '../../../runtime/sdk.js';
import { profileHour } from '../domain/city/city.js';
import { cityModel } from '../domain/city/city-source.js';
import type { RebalanceMessage } from './messages.js';
import { cityClockMs, simPolicy } from './policies.js';

export interface StationState {
  index: number;
  dispatcher: number;
  bikes: number;
  /** Bikes at the start of the run (for the conservation check). */
  initialBikes: number;
  /** Bikes in a truck parked here, waiting for free docks. */
  parked: number;
  /** Time of the rider drawn for the current wake-up, or -1 when the wake-up is a bucket boundary. */
  riderAt: number;
  /** The bucket whose starting level this station reports next. */
  nextBucket: number;
}

function model(ctx: ActorContext<RebalanceMessage>) {
  return cityModel(simPolicy(ctx, 'city'), simPolicy(ctx, 'districtSide'));
}

/** Draw the next rider before the next bucket boundary, or wake at the boundary. */
function scheduleNext(state: StationState, ctx: ActorContext<RebalanceMessage>): void {
  const bucketMs = simPolicy(ctx, 'bucketMin') * 60_000;
  const boundary = (Math.floor(ctx.now / bucketMs) + 1) * bucketMs;
  const rate = model(ctx).city.stations[state.index].pickupsPerHour[profileHour(cityClockMs(ctx))];
  const at = rate > 0 ? ctx.now + Math.max(1, Math.round(exponential(ctx.rng, 3_600_000 / rate))) : Infinity;
  state.riderAt = at < boundary ? at : -1;
  ctx.wakeAt(Math.min(at, boundary));
}

/** Dock what fits of `bikes` (a rider's or a truck's); returns what did not fit. */
function dock(state: StationState, capacity: number, bikes: number): number {
  const fits = Math.min(bikes, capacity - state.bikes);
  state.bikes += fits;
  return bikes - fits;
}

export const station = defineKind<StationState, RebalanceMessage, { index: number; dispatcher: number; bikes: number }>(
  {
    name: 'station',
    // A station's bikes are not re-creatable from its spawn args: a failure is a bug that fails the run.
    onFailure: 'escalate',
    init: (args) => ({
      index: args.index,
      dispatcher: args.dispatcher,
      bikes: args.bikes,
      initialBikes: args.bikes,
      parked: 0,
      riderAt: -1,
      nextBucket: 0,
    }),
    receive(state, input, ctx) {
      const city = model(ctx);
      const capacity = city.city.stations[state.index].capacity;
      if (input.type === 'start' || input.type === 'wake') {
        if (state.riderAt >= 0 && state.riderAt <= ctx.now) {
          ctx.count('rebalance.pickup_requests');
          if (state.bikes > 0) {
            state.bikes--;
            // A parked truck's bike takes the freed dock.
            if (state.parked > 0) {
              state.parked--;
              state.bikes++;
            }
            const to = city.destination(profileHour(cityClockMs(ctx)), ctx.rng.float());
            ctx.count('rebalance.trips');
            ctx.send(to, { op: 'ride' }, city.rideMs(state.index, to));
          } else {
            ctx.count('rebalance.unmet_pickups');
          }
        }
        // A wake-up can be both (a rider drawn just before a boundary lands on the boundary's tick).
        if (ctx.now >= state.nextBucket * simPolicy(ctx, 'bucketMin') * 60_000) {
          ctx.send(state.dispatcher, {
            op: 'level',
            station: state.index,
            bikes: state.bikes,
            bucket: state.nextBucket++,
          });
        }
        scheduleNext(state, ctx);
        return;
      }
      if (input.type !== 'message') return;
      const m = input.body;
      if (m.op === 'ride') {
        ctx.count('rebalance.dropoff_requests');
        // No free dock: the rider rides on to the next station (the bike is still theirs) and counts as unmet.
        if (dock(state, capacity, 1) > 0) {
          ctx.count('rebalance.unmet_dropoffs');
          const next = city.destination(profileHour(cityClockMs(ctx)), ctx.rng.float());
          ctx.send(next, { op: 'ride' }, city.rideMs(state.index, next));
        }
      } else if (m.op === 'load') {
        const loaded = Math.min(m.bikes, state.bikes);
        state.bikes -= loaded;
        if (loaded > 0) {
          ctx.count('rebalance.bikes_moved', loaded);
          ctx.count('rebalance.truck_bike_km', Math.round(loaded * city.km(state.index, m.to) * 1000) / 1000);
          ctx.send(m.to, { op: 'unload', bikes: loaded, returnTo: state.index }, city.truckMs(state.index, m.to));
        }
      } else if (m.op === 'unload') {
        const left = dock(state, capacity, m.bikes);
        if (left > 0 && m.returnTo !== undefined)
          ctx.send(m.returnTo, { op: 'unload', bikes: left }, city.truckMs(state.index, m.returnTo));
        else state.parked += left;
      }
    },
  },
);
