// Probe actor kinds. Each reports what it saw through ctx.emit, so tests read behaviour from the
// run's event stream rather than from runtime internals.
import { defineKind, type SupervisionPolicy } from '../../../runtime/sdk.js';

/** Emits every input it receives: type, sender, body, and the sim time it ran at. */
export const recorder = defineKind<{ seen: number }, unknown, void>({
  name: 'recorder',
  onFailure: 'escalate',
  init: () => ({ seen: 0 }),
  receive(state, input, ctx) {
    state.seen++;
    if (input.type === 'message') ctx.emit('received', { from: input.from, body: input.body, at: ctx.now });
  },
});

/** On start, sends `count` messages to `to`, message k with delay delays[k % delays.length]. */
export const sender = defineKind<
  { to: number; count: number; delays: number[] },
  unknown,
  { to: number; count: number; delays?: number[] }
>({
  name: 'sender',
  onFailure: 'escalate',
  init: (args) => ({ to: args.to, count: args.count, delays: args.delays ?? [0] }),
  receive(state, input, ctx) {
    if (input.type !== 'start') return;
    for (let k = 0; k < state.count; k++)
      ctx.send(state.to, { k, from: ctx.id }, state.delays[k % state.delays.length]);
  },
});

/** Wakes at each of `times` (asked for all at once, in order), emitting the time it woke. */
export const sleeper = defineKind<{ times: number[]; next: number }, unknown, { times: number[] }>({
  name: 'sleeper',
  onFailure: 'escalate',
  init: (args) => ({ times: args.times, next: 0 }),
  receive(state, input, ctx) {
    if (input.type === 'wake') ctx.emit('woke', { at: ctx.now });
    if (state.next < state.times.length) ctx.wakeAt(state.times[state.next++]);
  },
});

/** Counts messages; throws on the body 'boom'. One kind per supervision policy. */
export function crasher(policy: SupervisionPolicy) {
  return defineKind<{ count: number }, unknown, void>({
    name: `crasher-${policy}`,
    onFailure: policy,
    init: () => ({ count: 0 }),
    receive(state, input, ctx) {
      if (input.type !== 'message') return;
      if (input.body === 'boom') throw new Error(`boom in ${ctx.id}`);
      state.count++;
      ctx.emit('count', { count: state.count });
    },
  });
}

/** On start draws `draws` integers from its own stream and emits them. */
export const rngReporter = defineKind<{ draws: number }, unknown, { draws: number }>({
  name: 'rng-reporter',
  onFailure: 'escalate',
  init: (args) => ({ draws: args.draws }),
  receive(state, input, ctx) {
    if (input.type !== 'start') return;
    const values: number[] = [];
    for (let i = 0; i < state.draws; i++) values.push(ctx.rng.int(0, 1_000_000));
    ctx.emit('draws', { values });
  },
});

/**
 * A hung actor: the message 'spin', or its wake-up at `spinAtMs` sim ms, sends it into an endless
 * loop (the tick watchdog's and the interrupt grace's tests).
 */
export const spinner = defineKind<{ spins: number; spinAtMs?: number }, unknown, { spinAtMs?: number } | undefined>({
  name: 'spinner',
  onFailure: 'escalate',
  init: (args) => ({ spins: 0, ...(args?.spinAtMs !== undefined ? { spinAtMs: args.spinAtMs } : {}) }),
  receive(state, input, ctx) {
    if (input.type === 'start' && state.spinAtMs !== undefined) ctx.wakeAt(state.spinAtMs);
    const spin = input.type === 'message' ? input.body === 'spin' : input.type === 'wake';
    if (!spin) return;
    for (;;) state.spins++;
  },
});

/**
 * Calls an effect (HTTP by default, or the kind named by `effect`) `calls` times, every `everyMs`, and emits each
 * result.
 */
export const effectCaller = defineKind<
  { url: string; effect?: string; calls: number; made: number; everyMs: number },
  unknown,
  { url: string; effect?: string; calls: number; everyMs: number }
>({
  name: 'effect-caller',
  onFailure: 'escalate',
  init: (args) => ({ ...args, made: 0 }),
  receive(state, input, ctx) {
    if (input.type === 'effect-result') {
      ctx.emit('effect-result', { effectId: input.effectId, ok: input.ok, value: input.value });
      return;
    }
    if (state.made < state.calls) {
      // `effect` names another kind (a pack's own handler); the request then carries the call number.
      if (state.effect) ctx.effect(state.effect, { n: state.made });
      else ctx.effect('http', { method: 'GET', url: `${state.url}?n=${state.made}` });
      state.made++;
      ctx.wakeAt(ctx.now + state.everyMs);
    }
  },
});

/** Outside any actor's state, so checkpoints never see it: what a real leak looks like. */
const leaked: Buffer[] = [];

/** A leak: every `everyMs` of sim time it allocates `kb` KiB and never lets go (the memory_growth gate's test). */
export const leaker = defineKind<{ kb: number; everyMs: number }, unknown, { kb: number; everyMs: number }>({
  name: 'leaker',
  onFailure: 'escalate',
  init: (args) => ({ kb: args.kb, everyMs: args.everyMs }),
  receive(state, input, ctx) {
    if (input.type === 'wake') leaked.push(Buffer.alloc(state.kb * 1024, 1));
    if (input.type === 'start' || input.type === 'wake') ctx.wakeAt(ctx.now + state.everyMs);
  },
});

/**
 * A short-lived child: it stops `lifeMs` after its start, and emits any message that reaches it
 * (none should once it is gone: mail for it must not reach the next actor in its slot).
 */
export const mayfly = defineKind<{ lifeMs: number }, unknown, { lifeMs: number }>({
  name: 'mayfly',
  onFailure: 'escalate',
  init: (args) => ({ lifeMs: args.lifeMs }),
  receive(state, input, ctx) {
    if (input.type === 'start') ctx.wakeAt(ctx.now + state.lifeMs);
    else if (input.type === 'wake') ctx.stop();
    else if (input.type === 'message') ctx.emit('mayfly-got', { body: input.body, at: ctx.now });
  },
});

/**
 * Every `everyMs`, `spawns` times, spawns a mayfly and writes to the one before it, which is gone
 * by then (`lifeMs` < `everyMs`): churn that reuses slots, and mail that must become dead letters.
 */
export const churner = defineKind<
  { spawns: number; everyMs: number; lifeMs: number; made: number; previous: number },
  unknown,
  { spawns: number; everyMs: number; lifeMs: number }
>({
  name: 'churner',
  onFailure: 'escalate',
  init: (args) => ({ ...args, made: 0, previous: -1 }),
  receive(state, input, ctx) {
    if (input.type !== 'start' && input.type !== 'wake') return;
    if (state.made >= state.spawns) return;
    const child = ctx.spawn('mayfly', { lifeMs: state.lifeMs });
    if (state.previous >= 0) ctx.send(state.previous, `late for ${state.previous}`);
    ctx.emit('spawned', { id: child });
    state.previous = child;
    state.made++;
    ctx.wakeAt(ctx.now + state.everyMs);
  },
});

/**
 * Passes a token to `next` (another partition's relay) after `hopMs` plus a random share of it,
 * and beats locally at each of the next `beats` ticks (self-mail and wake-ups inside a window):
 * traffic that crosses partitions only as far apart as a lookahead of `hopMs` allows.
 */
export const relay = defineKind<
  { next: number; hopMs: number; hops: number; beats: number; left: number },
  unknown,
  { next: number; hopMs: number; hops: number; beats?: number }
>({
  name: 'relay',
  onFailure: 'escalate',
  init: (args) => ({ next: args.next, hopMs: args.hopMs, hops: args.hops, beats: args.beats ?? 3, left: 0 }),
  receive(state, input, ctx) {
    if (input.type === 'start' || (input.type === 'message' && typeof input.body === 'number')) {
      const hops = input.type === 'start' ? state.hops : (input.body as number);
      if (hops > 0) ctx.send(state.next, hops - 1, state.hopMs + ctx.rng.int(0, state.hopMs));
      ctx.emit('relayed', { hops, at: ctx.now });
      state.left = state.beats;
      ctx.wakeAt(ctx.now + 1);
    } else if (input.type === 'wake' && state.left > 0) {
      state.left--;
      ctx.count('probe.beats');
      ctx.send(ctx.id, `beat ${state.left}`); // to itself: same partition, no lookahead needed
      ctx.wakeAt(ctx.now + 1);
    }
  },
});
