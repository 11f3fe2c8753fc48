// The Deal Flight pack's worker half: the demo `tickwork run dealflight`, synthetic reps issuing
// `/quote simulate` commands and promotions against shared quotes, a load model for the
// runbook's KPIs. Quotes are spawned first in every partition, so quote i has actor id i.
import { type PackModel } from '../../runtime/sdk.js';
import { demoPolicy } from './demo/demo-policies.js';
import { demoKpis } from './demo/demo-kpis.js';
import { quoteActor } from './demo/quote-actor.js';
import { rep } from './demo/rep.js';

export const dealflightPack: PackModel = {
  name: 'dealflight',
  description: 'synthetic sales reps comparing and promoting CPQ quote variants (runbook 000)',
  kinds: [quoteActor, rep],
  setup(ctx) {
    const quotes = demoPolicy(ctx, 'quotes');
    for (let index = ctx.partition; index < quotes; index += ctx.partitions) ctx.spawn('quote', { index });
    const reps = demoPolicy(ctx, 'reps');
    for (let i = ctx.partition; i < reps; i += ctx.partitions) ctx.spawn('rep');
  },
  kpis: demoKpis,
};
