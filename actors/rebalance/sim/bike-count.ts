// The conservation reporter: bikes a partition's stations started with, less those docked, parked
// in trucks, or riding in messages it holds. Summed over partitions it is 0 whenever no bike was
// created or lost, whatever crossed a partition boundary.
import type { Reporter } from '../../../runtime/sdk.js';
import type { RebalanceMessage } from './messages.js';
import type { StationState } from './station.js';

export const bikesUnaccounted: Reporter = {
  metric: 'rebalance.bikes_unaccounted',
  combine: 'sum',
  measure(view) {
    let unaccounted = 0;
    view.forEachActor((kind, state) => {
      if (kind !== 'station') return;
      const s = state as StationState;
      unaccounted += s.initialBikes - s.bikes - s.parked;
    });
    view.forEachInFlight((m) => {
      const body = m.body as RebalanceMessage | undefined;
      if (body?.op === 'ride') unaccounted -= 1;
      else if (body?.op === 'unload') unaccounted -= body.bikes;
    });
    return unaccounted;
  },
};
