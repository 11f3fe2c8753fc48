// The probe pack's model: small actors that make the runtime's guarantees observable from outside, for
// the conformance tests (delivery order, timers, supervision, RNG streams, effects). Which actors
// exist is data: the `probe.actors` param lists {kind, args}; actor j lives in partition
// j % partitions and gets id j.
import type { PackModel } from '../../runtime/sdk.js';
import {
  churner,
  crasher,
  effectCaller,
  leaker,
  mayfly,
  recorder,
  rngReporter,
  sender,
  sleeper,
  spinner,
} from './sim/kinds.js';

export interface ProbeActorSpec {
  kind: string;
  args?: unknown;
}

export const probeModel: PackModel = {
  name: 'probe',
  description: 'conformance probes: ordering, timers, supervision, slot reuse, rng, effects',
  kinds: [
    recorder,
    sender,
    sleeper,
    crasher('restart'),
    crasher('stop'),
    crasher('escalate'),
    rngReporter,
    effectCaller,
    spinner,
    leaker,
    churner,
    mayfly,
  ],
  setup(ctx) {
    const specs = ctx.param<ProbeActorSpec[]>('probe.actors') ?? [];
    for (let j = ctx.partition; j < specs.length; j += ctx.partitions) ctx.spawn(specs[j].kind, specs[j].args);
  },
};
