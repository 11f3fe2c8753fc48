// The Deal Flight pack's model: the demo `tickwork run dealflight`, synthetic reps issuing
// `/quote simulate` commands and promotions on their books of quotes, a load model for the
// runbook's KPIs. Quotes are spawned first in every partition, so quote i has actor id i.
import type { PackModel } from '../../runtime/sdk.js';
import { demoPolicy } from './sim/policies.js';
import { demoKpis } from './sim/kpis.js';
import { quoteActor } from './sim/quote-actor.js';
import { rep } from './sim/rep.js';

export const dealflightModel: PackModel = {
  name: 'dealflight',
  description: 'synthetic sales reps comparing and promoting CPQ quote variants (runbook 000)',
  kinds: [quoteActor, rep],
  setup(ctx) {
    const quotes = demoPolicy(ctx, 'quotes');
    for (let index = ctx.partition; index < quotes; index += ctx.partitions) ctx.spawn('quote', { index });
    const reps = demoPolicy(ctx, 'reps');
    for (let i = ctx.partition; i < reps; i += ctx.partitions) ctx.spawn('rep', { index: i });
  },
  kpis: demoKpis,
};
