
import { type Reporter } from '../../../runtime/sdk.js';
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
