// A partition: the unit of ownership and determinism. It owns a fixed slice of the actors
// (placement.ts, stored by column in an ActorTable), their timers and their mailbox, and runs
// one tick at a time: due actors in slot order, each input in canonical order, with the actor's own
// RNG stream. Whatever worker hosts it, the same inputs give the same outputs and the same
// partition digest.
import { RUN_LIMITS } from '../limits.js';
import type { ActorId, ActorKind, Input, SimMs } from '../actor/types.js';
import type { PackSetupContext, PartitionView, Reporter } from '../packs/pack-model.js';
import { Digest } from '../digest.js';
import { actorIdOf, generationOfActor, MAX_SLOTS, partitionOfActor, slotOfActor } from '../placement.js';
import { TickworkError } from '../errors.js';
import type { MetricRecorder } from '../metrics/metric-recorder.js';
import { TimerQueue } from './timer-queue.js';
import { ActorTable, RNG_WORDS, SEEDED, STARTED } from './actor-table.js';
import { StepContext } from './step-context.js';
import { Mailbox } from './mailbox.js';
import { sortForDelivery, type Message } from './message.js';
import { idleOutput, type TickOutput, workingOutput } from './tick-output.js';
import { LookaheadViolation } from './lookahead.js';
import type { ActorFailure, PartitionSnapshot, ActorSnapshot } from '../protocol.js';

export interface PartitionConfig {
  index: number;
  partitions: number;
  tickMs: number;
  seed: number;
  kinds: readonly ActorKind[];
  reporters: readonly Reporter[];
  params: Map<string, unknown>;
  metrics: MetricRecorder;
  /** Each kind's cross-partition lookahead (lookahead.ts); sends below it fail the run. */
  lookaheads: readonly number[];
  /** Written before each step: [actor id, kind index]; read by the main thread's tick watchdog. */
  stepProbe?: Int32Array<ArrayBufferLike>;
}

class ActorEscalation extends Error {}

/** Undelivered messages a partition may hold; a scenario may change it with this policy. */
export const MAILBOX_LIMIT_PARAM = 'runtime.maxMailboxMessages';

const INPUT_CODE = { start: 1, wake: 2, message: 3, 'effect-result': 4 } as const;
/** Timer inputs carry no data: one frozen object each instead of one per step. */
const [START, WAKE]: Input<unknown>[] = [Object.freeze({ type: 'start' }), Object.freeze({ type: 'wake' })];

export class Partition implements PartitionView {
  readonly index: number;
  private readonly partitions: number;
  private readonly seed: number;
  private readonly kinds: readonly ActorKind[];
  private readonly kindIndex = new Map<string, number>();
  private readonly reporters: readonly Reporter[];
  private readonly params: Map<string, unknown>;
  private readonly stepProbe: Int32Array<ArrayBufferLike>;
  private readonly metrics: MetricRecorder;

  private readonly actors = new ActorTable();
  /** Wake-ups by slot (slot order is id order within a partition). */
  private readonly timers = new TimerQueue(this.actors);
  private readonly mailbox = new Mailbox();

  /** The behaviours' context; it also holds the tick's time, digest and outputs. */
  private readonly ctx: StepContext;

  constructor(config: PartitionConfig) {
    this.index = config.index;
    this.partitions = config.partitions;
    this.seed = config.seed;
    this.kinds = config.kinds;
    config.kinds.forEach((k, i) => this.kindIndex.set(k.name, i));
    this.reporters = config.reporters;
    this.params = config.params;
    this.stepProbe = config.stepProbe ?? new Int32Array(2);
    this.metrics = config.metrics;
    this.ctx = new StepContext({
      index: this.index,
      partitions: this.partitions,
      lookaheads: config.lookaheads,
      kindNames: config.kinds.map((k) => k.name),
      tickMs: config.tickMs,
      seed: config.seed,
      actors: this.actors,
      timers: this.timers,
      params: this.params,
      metrics: config.metrics,
      spawnActor: (kind, args, startAt) => this.spawnActor(kind, args, startAt),
    });
  }

  get actorCount(): number {
    return this.actors.live;
  }

  /** Earliest sim time at which this partition has work, or Infinity. */
  nextDue(): number {
    return Math.min(this.timers.nextTime(), this.mailbox.peekTime());
  }

  /** Populate a fresh partition through the pack's setup; spawned actors start at t = 0. */
  setup(run: (ctx: PackSetupContext) => void): void {
    run({
      partition: this.index,
      partitions: this.partitions,
      seed: this.seed,
      spawn: (kind, args) => this.spawnActor(kind, args, 0),
      param: <T>(name: string) => this.params.get(name) as T,
    });
  }

  deliver(messages: readonly Message[]): void {
    for (let i = 0; i < messages.length; i++) this.mailbox.push(messages[i]);
  }

  deliverOne(message: Message): void {
    this.mailbox.push(message);
  }

  /**
   * A limit on everything: a runaway sender fails the run with a clear message instead of
   * growing the heap until the process dies. The host checks once per tick, after every delivery
   * (local and from other hosts), so the failing tick is the same whatever the worker count.
   */
  checkMailboxLimit(): void {
    const limit = (this.params.get(MAILBOX_LIMIT_PARAM) as number | undefined) ?? RUN_LIMITS.mailboxMessages;
    if (this.mailbox.size > limit) {
      throw new TickworkError(
        'TW_ERR_LIMIT',
        `partition ${this.index} holds ${this.mailbox.size} undelivered messages, over the limit of ${limit} (policy ${MAILBOX_LIMIT_PARAM}): a runaway sender?`,
      );
    }
  }

  /** Run tick `t`: every actor with a due timer or due mail, in slot order. */
  tick(t: SimMs): TickOutput {
    const ctx = this.ctx;
    ctx.now = t;
    ctx.digest = new Digest(this.index, t);
    // Most partitions have nothing due in most ticks: answer without building a step loop. The
    // digest is the one a tick with no steps would give, so skipping changes nothing.
    if (this.nextDue() > t) return (ctx.out = idleOutput(ctx.digest, this.partitions));
    const out = (ctx.out = workingOutput(this.partitions));

    const due: Message[] = [];
    this.mailbox.takeDue(t, due);
    const mail = sortForDelivery(due, this.partitions);
    const wokenCount = this.timers.takeDue(t);
    const woken = this.timers.due;

    const actors = this.actors;
    const partitions = this.partitions;
    const index = this.index;
    let mi = 0;
    let wi = 0;
    try {
      // Actors step in slot order (with no slot reused, that is id order), each at most once
      // for its wake-up and then once per message.
      // The slot of mail[mi], computed once per message.
      const slotOfMail = (i: number) => (i < mail.length ? slotOfActor(mail[i].to, index, partitions) : Infinity);
      let nextMailSlot = slotOfMail(0);
      while (mi < mail.length || wi < wokenCount) {
        const nextWokenSlot = wi < wokenCount ? woken[wi] : Infinity;
        const slot = Math.min(nextMailSlot, nextWokenSlot);
        if (nextWokenSlot === slot) {
          wi++;
          // Claimed wake-ups belong to live actors (only an actor's own step stops it); the
          // check is one read and keeps a stale slot from ever stepping.
          if (actors.isLive(slot)) {
            const flags = actors.flags[slot];
            const started = (flags & STARTED) !== 0;
            actors.flags[slot] = flags | STARTED;
            this.step(slot, this.idOf(slot), started ? WAKE : START, started ? INPUT_CODE.wake : INPUT_CODE.start);
          }
        }
        if (nextMailSlot !== slot) continue;
        // Read after the wake-up's step: it may have stopped the actor.
        const id = actors.isLive(slot) ? this.idOf(slot) : -1;
        while (nextMailSlot === slot) {
          const m = mail[mi++];
          nextMailSlot = slotOfMail(mi);
          if (m.to !== id || !actors.isLive(slot)) {
            this.deadLetter(m, slot);
            continue;
          }
          const input: Input<unknown> = m.effect
            ? { type: 'effect-result', effectId: m.effect.effectId, ok: m.effect.ok, value: m.effect.value }
            : { type: 'message', from: m.from, body: m.body };
          ctx.digest.int(m.from).int(m.seq);
          this.step(slot, id, input, m.effect ? INPUT_CODE['effect-result'] : INPUT_CODE.message);
        }
      }
    } catch (err) {
      if (!(err instanceof ActorEscalation)) throw err;
    }
    out.digestA = ctx.digest.a;
    out.digestB = ctx.digest.b;
    return out;
  }

  /** Reporter values for the metrics interval that ends with the tick just run. */
  measure(): Record<string, number> {
    const values: Record<string, number> = {};
    for (const r of this.reporters) values[r.metric] = r.measure(this);
    return values;
  }

  forEachActor(fn: (kind: string, state: unknown, id: ActorId) => void): void {
    const actors = this.actors;
    for (let slot = 0; slot < actors.size; slot++) {
      if (actors.isLive(slot)) fn(this.kinds[actors.kind[slot]].name, actors.state[slot], this.idOf(slot));
    }
  }

  /** Pending mail, and mail sent this tick that is still on its way to another host. */
  forEachInFlight(fn: (m: Message) => void): void {
    this.mailbox.forEach(fn);
    const outbound = this.ctx.out?.outbound;
    if (outbound) for (const batch of outbound) if (batch) for (const m of batch) fn(m);
  }

  /** Live state of one actor, for inspectors; undefined when it does not live here. */
  inspect(id: ActorId): { id: ActorId; kind: string; state: unknown; wakeAt: number } | undefined {
    if (partitionOfActor(id, this.partitions) !== this.index) return undefined;
    const slot = this.slotOf(id);
    if (!this.actors.isLive(slot)) return undefined;
    return {
      id,
      kind: this.kinds[this.actors.kind[slot]].name,
      state: this.actors.state[slot],
      wakeAt: this.actors.wakeAt[slot],
    };
  }

  snapshot(): PartitionSnapshot {
    const actors: ActorSnapshot[] = [];
    const table = this.actors;
    for (let slot = 0; slot < table.size; slot++) {
      if (!table.isLive(slot)) continue;
      const rngAt = slot * RNG_WORDS;
      actors.push({
        id: this.idOf(slot),
        kind: this.kinds[table.kind[slot]].name,
        state: table.state[slot],
        args: table.args[slot],
        seq: table.seq[slot],
        wakeAt: table.wakeAt[slot],
        started: (table.flags[slot] & STARTED) !== 0,
        rngState:
          (table.flags[slot] & SEEDED) !== 0 ? Array.from(table.rng.subarray(rngAt, rngAt + RNG_WORDS)) : undefined,
        stoppedKind: this.stoppedKindName(slot),
      });
    }
    const free = table.free.toArray().map((slot) => ({
      slot,
      generation: table.generation[slot],
      stoppedKind: this.stoppedKindName(slot),
    }));
    return { index: this.index, nextLocal: table.size, actors, mailbox: this.mailbox.all(), free };
  }

  restore(snap: PartitionSnapshot): void {
    const table = this.actors;
    table.clear();
    this.timers.clear();
    this.mailbox.clear();
    for (const a of snap.actors) {
      const kind = this.kindIndex.get(a.kind);
      if (kind === undefined) throw new Error(`snapshot names unknown actor kind '${a.kind}'`);
      const slot = this.slotOf(a.id);
      table.place(slot, kind, a.state, a.args, a.wakeAt);
      table.generation[slot] = generationOfActor(a.id);
      table.stoppedKind[slot] = this.kindIndexOf(a.stoppedKind);
      table.seq[slot] = a.seq;
      if (a.started) table.flags[slot] |= STARTED;
      if (a.rngState) {
        table.rng.set(a.rngState, slot * RNG_WORDS);
        table.flags[slot] |= SEEDED;
      }
      if (a.wakeAt >= 0) this.timers.push(a.wakeAt, slot);
    }
    table.reserve(snap.nextLocal);
    // A snapshot from before slots were reused has no list: its empty slots stay retired.
    table.restoreFree((snap.free ?? []).map((f) => ({ ...f, stoppedKind: this.kindIndexOf(f.stoppedKind) })));
    for (const m of snap.mailbox) this.mailbox.push(m);
  }

  // ---- internals ----

  private stoppedKindName(slot: number): string | undefined {
    const kind = this.actors.stoppedKind[slot];
    return kind >= 0 ? this.kinds[kind].name : undefined;
  }

  private kindIndexOf(name: string | undefined): number {
    return name === undefined ? -1 : (this.kindIndex.get(name) ?? -1);
  }

  /** The id of the slot's actor (or of its next one, while the slot is free). */
  private idOf(slot: number): ActorId {
    return actorIdOf(slot, this.index, this.partitions, this.actors.generation[slot]);
  }

  /**
   * Mail for an actor that has stopped (or never lived): counted, in total and by the kind it was
   * for, as Akka's dead letters are. A slot's new occupant never sees its predecessor's mail.
   */
  private deadLetter(m: Message, slot: number): void {
    const ctx = this.ctx;
    ctx.out.deadLetters++;
    ctx.digest.word(0xdead).int(m.to);
    const stopped = this.actors.stoppedKindOf(slot, generationOfActor(m.to));
    this.metrics.count(`runtime.dead_letters.${stopped >= 0 ? this.kinds[stopped].name : 'unknown'}`);
  }

  private slotOf(id: ActorId): number {
    return slotOfActor(id, this.index, this.partitions);
  }

  /** `code` is INPUT_CODE[input.type], passed in: a keyed lookup per step showed in profiles. */
  private step(slot: number, id: ActorId, input: Input<unknown>, code: number): void {
    const ctx = this.ctx;
    const actors = this.actors;
    ctx.out.steps++;
    ctx.enter(slot, id);
    ctx.digest.int(id).word(code);
    const kindIndex = actors.kind[slot];
    // Two plain stores: what a watchdog names if this step never returns.
    this.stepProbe[0] = id;
    this.stepProbe[1] = kindIndex;
    const kind = this.kinds[kindIndex];
    try {
      const next = kind.receive(actors.state[slot], input, ctx);
      if (next !== undefined) actors.state[slot] = next;
    } catch (err) {
      if (err instanceof LookaheadViolation) throw err; // the pack's defect, not the actor's
      this.fail(slot, id, kind, err);
    }
    if (ctx.stopRequested) actors.remove(slot);
  }

  private fail(slot: number, id: ActorId, kind: ActorKind, err: unknown): void {
    const failure: ActorFailure = {
      actorId: id,
      kind: kind.name,
      policy: kind.onFailure,
      message: err instanceof Error ? err.message : String(err),
    };
    const ctx = this.ctx;
    ctx.out.failures.push(failure);
    ctx.digest.word(0xfa11).int(id);
    if (kind.onFailure === 'restart') {
      this.actors.state[slot] = kind.init(this.actors.args[slot], id);
    } else if (kind.onFailure === 'stop') {
      ctx.stopRequested = true;
    } else {
      ctx.out.escalated = failure;
      throw new ActorEscalation(failure.message);
    }
  }

  private spawnActor(kindName: string, args: unknown, startAt: SimMs): ActorId {
    const kind = this.kindIndex.get(kindName);
    if (kind === undefined) throw new Error(`unknown actor kind '${kindName}'`);
    const slot = this.actors.nextSlot();
    if (slot >= MAX_SLOTS)
      throw new TickworkError(
        'TW_ERR_LIMIT',
        `partition ${this.index} would hold more than ${MAX_SLOTS.toLocaleString('en-US')} live actors (spawning '${kindName}'): raise partitions, or stop actors that are done`,
      );
    const id = this.idOf(slot);
    this.actors.place(slot, kind, this.kinds[kind].init(args, id), args, startAt);
    this.timers.push(startAt, slot);
    return id;
  }
}
