// The probe pack's model: small actors that make the runtime's guarantees observable from outside, for
// the conformance tests (delivery order, timers, supervision, RNG streams, effects). Which actors
// exist is data: the `probe.actors` param lists {kind, args}; actor j lives in partition
// j % partitions and gets id j. `probe.lookaheadMs` is every kind's lookahead.
import type { PackModel } from '../../runtime/sdk.js';
import {
  churner,
  crasher,
  effectCaller,
  leaker,
  mayfly,
  recorder,
  relay,
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
  // One lookahead for every probe kind, from the scenario (0 unless set): a test sets it to run
  // windows, and a probe that sends below it shows the send check.
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
    relay,
  ].map((kind) => ({ ...kind, crossPartitionDelayMs: (param) => param<number>('probe.lookaheadMs') ?? 0 })),
  setup(ctx) {
    const specs = ctx.param<ProbeActorSpec[]>('probe.actors') ?? [];
    for (let j = ctx.partition; j < specs.length; j += ctx.partitions) ctx.spawn(specs[j].kind, specs[j].args);
  },
};
