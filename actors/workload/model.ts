// The workload pack's model: synthetic load for the benchmarks. `stepper` actors do the trivial step of
// bench 1 (an RNG draw, a state update, an occasional send; with `observeSteps`, bench 5's
// histogram record too); `pulse` actors are bench 4's sparse activity; `chatter` actors do
// bench 2 (pass messages to random actors, mostly across partitions).
import { defineKind, type PackModel } from '../../runtime/sdk.js';

interface StepperState {
  x: number;
  n: number;
  /** Record every step into a histogram (bench 5): set at spawn from the `observeSteps` policy. */
  observe: boolean;
}

/**
 * Bench 1's trivial step: an RNG draw, a state update, an occasional send, then sleep to the next
 * tick. It reads no policy on its way (only `actors` when it sends, one step in ~1,000): the plain
 * loop it is measured against reads none, and the two policy lookups a step it used to make cost
 * 8-30 ns of a 60-110 ns step here. Bench 5's observing steppers are the same kind, so both
 * benches run one behaviour function (two kinds made the step's call site polymorphic).
 */
const stepper = defineKind<StepperState, number, { observe: boolean }>({
  name: 'stepper',
  onFailure: 'escalate',
  init: (args) => ({ x: 0, n: 0, observe: args.observe }),
  receive(state, input, ctx) {
    if (input.type === 'message') {
      state.x += input.body;
      return;
    }
    state.x = (state.x + ctx.rng.int(0, 1000)) % 1_000_003;
    state.n++;
    if (state.observe) ctx.observe('workload.step_value', state.x);
    if ((state.x & 1023) === 0) ctx.send(ctx.rng.int(0, ctx.param<number>('actors') - 1), 1);
    // Quantised to the next tick.
    ctx.wakeAt(ctx.now + 1);
  },
});

/** Sparse activity for bench 4: a step every `stepEveryMs`, asleep in between. */
const pulse = defineKind<{ n: number }, never, void>({
  name: 'pulse',
  onFailure: 'escalate',
  init: () => ({ n: 0 }),
  receive(state, _input, ctx) {
    state.n++;
    ctx.wakeAt(ctx.now + ctx.param<number>('stepEveryMs'));
  },
});

/** Starts with `messagesEach` messages in hand; passes each one on until its hop budget is spent. */
const chatter = defineKind<{ received: number }, number, void>({
  name: 'chatter',
  onFailure: 'escalate',
  init: () => ({ received: 0 }),
  receive(state, input, ctx) {
    const actors = ctx.param<number>('actors');
    if (input.type === 'start') {
      const each = ctx.param<number>('messagesEach');
      for (let i = 0; i < each; i++) ctx.send(ctx.rng.int(0, actors - 1), ctx.param<number>('hops'));
      return;
    }
    if (input.type !== 'message') return;
    state.received++;
    if (input.body > 1) ctx.send(ctx.rng.int(0, actors - 1), input.body - 1);
  },
});

const sleeperKind = defineKind<{ n: number }, never, void>({
  name: 'idle',
  onFailure: 'escalate',
  init: () => ({ n: 0 }),
  receive(state, input, ctx) {
    state.n++;
    if (input.type === 'start') ctx.wakeAt(ctx.now + ctx.param<number>('sleepMs'));
  },
});

export const workloadModel: PackModel = {
  name: 'workload',
  description: 'benchmark workloads: steppers, pulses, chatters, idle sleepers',
  kinds: [stepper, pulse, chatter, sleeperKind],
  setup(ctx) {
    const kind = ctx.param<string>('kind');
    const actors = ctx.param<number>('actors');
    const args = kind === 'stepper' ? { observe: ctx.param<boolean>('observeSteps') === true } : undefined;
    for (let i = ctx.partition; i < actors; i += ctx.partitions) ctx.spawn(kind, args);
  },
};
