// The ActorContext a behaviour sees, one per partition, re-aimed by the partition before every
// step (which actor, which tick, where outputs go). It is a class, not an object literal of
// closures: with a closure set per partition, every `ctx.wakeAt(...)` call site in a behaviour
// saw one function per partition (16 by default), went megamorphic and was never inlined; one
// class gives every partition's context the same methods.
import type { ActorContext, ActorId, SimMs } from '../actor/types.js';
import type { MetricRecorder } from '../metrics/metric-recorder.js';
import { Digest } from '../digest.js';
import { partitionOfActor } from '../placement.js';
import { RngView, seedStreamWords, StreamCursor } from '../rng.js';
import type { Message } from './message.js';
import { LookaheadViolation } from './lookahead.js';
import { type ActorTable, RNG_WORDS, SEEDED } from './actor-table.js';
import type { TimerQueue } from './timer-queue.js';
import type { TickOutput } from './tick-output.js';

export interface StepContextConfig {
  /** The partition this context steps actors of. */
  index: number;
  partitions: number;
  /** Each kind's cross-partition lookahead, by kind index (lookahead.ts). */
  lookaheads: readonly number[];
  kindNames: readonly string[];
  tickMs: number;
  seed: number;
  actors: ActorTable;
  timers: TimerQueue;
  params: Map<string, unknown>;
  metrics: MetricRecorder;
  /** Spawn into the partition, starting at `startAt`. */
  spawnActor(kind: string, args: unknown, startAt: SimMs): ActorId;
}

export class StepContext implements ActorContext {
  // The step: set by the partition.
  /** The stepping actor's id and slot. */
  id: ActorId = -1;
  slot = -1;
  now: SimMs = 0;
  /** The behaviour called stop(), or a 'stop' supervision policy applies. */
  stopRequested = false;
  /** Where this tick's outputs go. */
  out!: TickOutput;
  digest = new Digest();

  readonly partitions: number;
  private readonly index: number;
  private readonly lookaheads: readonly number[];
  private readonly kindNames: readonly string[];
  private readonly tickMs: number;
  private readonly seed: number;
  private readonly actors: ActorTable;
  private readonly timers: TimerQueue;
  private readonly params: Map<string, unknown>;
  private readonly metrics: MetricRecorder;
  private readonly spawnActor: StepContextConfig['spawnActor'];
  /** The stepping actor's random stream: one cursor over the table's stream words. */
  private readonly cursor: StreamCursor;
  private readonly rngView: RngView;

  constructor(config: StepContextConfig) {
    this.partitions = config.partitions;
    this.index = config.index;
    this.lookaheads = config.lookaheads;
    this.kindNames = config.kindNames;
    this.tickMs = config.tickMs;
    this.seed = config.seed;
    this.actors = config.actors;
    this.timers = config.timers;
    this.params = config.params;
    this.metrics = config.metrics;
    this.spawnActor = config.spawnActor;
    this.cursor = new StreamCursor(config.actors.rng);
    this.rngView = new RngView(this.cursor);
  }

  /** Aim at the actor in `slot` for its next step. */
  enter(slot: number, id: ActorId): void {
    this.slot = slot;
    this.id = id;
    this.stopRequested = false;
    // The table's arrays are replaced when it grows, so the cursor is re-pointed every step.
    this.cursor.words = this.actors.rng;
    this.cursor.at = slot * RNG_WORDS;
  }

  get rng(): RngView {
    // A stream is seeded on the actor's first draw: actors that never draw cost no seeding.
    const actors = this.actors;
    const slot = this.slot;
    if ((actors.flags[slot] & SEEDED) === 0) {
      seedStreamWords(actors.rng, slot * RNG_WORDS, this.seed, this.id);
      actors.flags[slot] |= SEEDED;
    }
    return this.rngView;
  }

  send(to: ActorId, body: unknown, delayMs = 0): void {
    if (!(to >= 0) || to !== Math.floor(to)) throw new Error(`send: invalid recipient ${to}`);
    const dest = partitionOfActor(to, this.partitions);
    if (dest !== this.index) {
      const kind = this.actors.kind[this.slot];
      if (delayMs < this.lookaheads[kind])
        throw new LookaheadViolation(this.kindNames[kind], this.lookaheads[kind], delayMs, this.id, to);
    }
    const deliverAt = this.dueAt(this.now + delayMs);
    const m: Message = { to, from: this.id, seq: this.actors.seq[this.slot]++, deliverAt, body };
    (this.out.outbound[dest] ??= []).push(m);
    this.digest.int(to).int(deliverAt).value(body);
  }

  spawn(kind: string, args?: unknown): ActorId {
    const id = this.spawnActor(kind, args, this.dueAt(this.now));
    this.digest.word(0x5a).int(id);
    return id;
  }

  wakeAt(t: SimMs): void {
    const at = this.dueAt(t);
    this.actors.wakeAt[this.slot] = at;
    this.timers.push(at, this.slot);
  }

  stop(): void {
    this.stopRequested = true;
  }

  effect(kind: string, request: unknown): string {
    const id = this.id;
    const effectId = `${id}:${this.actors.seq[this.slot]++}`;
    this.out.effects.push({ effectId, actorId: id, kind, request });
    this.digest.string(effectId).string(kind).value(request);
    return effectId;
  }

  emit(type: string, data?: unknown): void {
    this.out.events.push({ actorId: this.id, type, data, simMs: this.now });
    this.digest.string(type).value(data);
  }

  observe(metric: string, value: number): void {
    this.metrics.observe(metric, value);
  }

  count(metric: string, n = 1): void {
    this.metrics.count(metric, n);
  }

  param<T>(name: string): T {
    return this.params.get(name) as T;
  }

  /** Quantise a requested time to a tick strictly after now. */
  private dueAt(t: SimMs): SimMs {
    const tick = this.tickMs;
    const next = this.now + tick;
    // Most requests are for the next tick or sooner: no division for those.
    if (t <= next) return next;
    return Math.ceil(t / tick) * tick;
  }
}
