
import { type Pack } from '../../runtime/sdk.js';
import { crasher, recorder, rngReporter, sender, sleeper, effectCaller, spinner, leaker } from './kinds.js';

export interface ProbeActorSpec {
  kind: string;
  args?: unknown;
}

export const probePack: Pack = {
  name: 'probe',
  description: 'conformance probes: ordering, timers, supervision, rng, effects',
  kinds: [recorder, sender, sleeper, crasher('restart'), crasher('stop'), crasher('escalate'), rngReporter, effectCaller, spinner, leaker],
  setup(ctx) {
    const specs = ctx.param<ProbeActorSpec[]>('probe.actors') ?? [];
    for (let j = ctx.partition; j < specs.length; j += ctx.partitions) ctx.spawn(specs[j].kind, specs[j].args);
  },
};
