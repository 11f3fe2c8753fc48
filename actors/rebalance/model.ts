// The rebalance pack's model: a bike-share city of station actors whose riders follow the
// hour's demand, and one dispatcher running both policies per district and bucket (runbook 004).
import type { PackModel } from '../../runtime/sdk.js';
import { cityModel } from './domain/city/city-source.js';
import { bikesUnaccounted } from './sim/bike-count.js';
import { dispatcher, dispatcherId } from './sim/dispatcher.js';
import { simKpis } from './sim/kpis.js';
import { simPolicy } from './sim/policies.js';
import { station } from './sim/station.js';

export const rebalanceModel: PackModel = {
  name: 'rebalance',
  description:
    'a bike-share city rebalanced by greedy and global policies, judged by staged rollout gates (runbook 004)',
  kinds: [station, dispatcher],
  setup(ctx) {
    const city = cityModel(simPolicy(ctx, 'city'), simPolicy(ctx, 'districtSide')).city;
    const n = city.stations.length;
    const desk = dispatcherId(n, ctx.partitions);
    // Station i lives in partition i % partitions, spawned in index order, so its id is i.
    for (let i = ctx.partition; i < n; i += ctx.partitions)
      ctx.spawn('station', { index: i, dispatcher: desk, bikes: city.stations[i].bikes });
    if (ctx.partition === 0 && ctx.spawn('dispatcher', { stations: n }) !== desk)
      throw new Error('dispatcher id mismatch');
  },
  reporters: [bikesUnaccounted],
  kpis: simKpis,
};
