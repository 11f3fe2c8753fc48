// A partition: the unit of ownership and determinism. It owns a fixed slice of the actors
// (id % partitions), their timers and their mailbox, and runs one tick at a time: due actors in
// id order, each input in canonical order, with the actor's own RNG stream. Whatever worker
// hosts it, the same inputs give the same outputs and the same partition digest.
import type { ActorContext, ActorId, ActorKind, Input, SimMs } from '../actor/types.js';
import type { PackSetupContext, PartitionView, Reporter } from '../actor/pack.js';
import { Digest } from '../digest.js';
import { TickworkError } from '../errors.js';
import { createStream, RngView, streamFromState, type RandomGenerator } from '../rng.js';
import type { MetricRecorder } from '../metrics/metric-recorder.js';
import { TimerQueue } from './timer-queue.js';
import { Mailbox } from './mailbox.js';
import { sortForDelivery, type Message } from './message.js';
import type { ActorFailure, PartitionSnapshot, PartitionTickOutcome, ActorSnapshot } from '../protocol.js';

interface ActorRecord {
  id: ActorId;
  kind: number;
  state: unknown;
  args: unknown;
  /** Next per-sender sequence number (messages and effect ids). */
  seq: number;
  /** Pending wake time, or -1. */
  wakeAt: number;
  started: boolean;
  rng: RandomGenerator | undefined;
}

export interface PartitionConfig {
  index: number;
  partitions: number;
  tickMs: number;
  seed: number;
  kinds: readonly ActorKind[];
  reporters: readonly Reporter[];
  params: Map<string, unknown>;
  metrics: MetricRecorder;
}

export interface TickOutput extends PartitionTickOutcome {
  /** Outbound messages by destination partition (only non-empty entries are set). */
  outbound: (Message[] | undefined)[];
}

class ActorEscalation extends Error {}

/** Undelivered messages a partition may hold; a scenario may change it with this policy. */
export const MAILBOX_LIMIT_PARAM = 'runtime.maxMailboxMessages';
const MAILBOX_LIMIT_DEFAULT = 5_000_000;

const NONE: never[] = [];

function idleOutput(digest: Digest, partitions: number): TickOutput {
  return {
    digestA: digest.a,
    digestB: digest.b,
    outbound: new Array(partitions),
    effects: NONE,
    events: NONE,
    failures: NONE,
    steps: 0,
    deadLetters: 0,
    escalated: undefined,
  };
}

const INPUT_CODE = { start: 1, wake: 2, message: 3, 'effect-result': 4 } as const;
/** Timer inputs carry no data: one frozen object each instead of one per step. */
const START: Input<unknown> = Object.freeze({ type: 'start' });
const WAKE: Input<unknown> = Object.freeze({ type: 'wake' });

export class Partition implements PartitionView {
  readonly index: number;
  private readonly partitions: number;
  private readonly tickMs: number;
  private readonly seed: number;
  private readonly kinds: readonly ActorKind[];
  private readonly kindIndex = new Map<string, number>();
  private readonly reporters: readonly Reporter[];
  private readonly params: Map<string, unknown>;
  private readonly metrics: MetricRecorder;

  private actors: (ActorRecord | undefined)[] = [];
  private nextLocal = 0;
  private liveCount = 0;
  private readonly timers = new TimerQueue((time, id) => {
    const rec = this.actors[Math.floor(id / this.partitions)];
    return rec !== undefined && rec.id === id && rec.wakeAt === time;
  });
  private readonly mailbox = new Mailbox();
  /** Scratch for the ids woken in a tick, reused from tick to tick (see tick-buckets.ts on why). */
  private readonly woken: number[] = [];

  // Per-tick scratch, reused to keep the hot path allocation-light.
  private now: SimMs = 0;
  private current: ActorRecord | undefined;
  private stopRequested = false;
  private out!: TickOutput;
  private digest = new Digest();
  private readonly rngView = new RngView();
  private readonly ctx: ActorContext;

  constructor(config: PartitionConfig) {
    this.index = config.index;
    this.partitions = config.partitions;
    this.tickMs = config.tickMs;
    this.seed = config.seed;
    this.kinds = config.kinds;
    config.kinds.forEach((k, i) => this.kindIndex.set(k.name, i));
    this.reporters = config.reporters;
    this.params = config.params;
    this.metrics = config.metrics;
    this.ctx = this.createContext();
  }

  get actorCount(): number {
    return this.liveCount;
  }

  /** Earliest sim time at which this partition has work, or Infinity. */
  nextDue(): number {
    return Math.min(this.timers.nextTime(), this.mailbox.peekTime());
  }

  /** Populate a fresh partition through the pack's setup; spawned actors start at t = 0. */
  setup(run: (ctx: PackSetupContext) => void): void {
    const self = this;
    run({
      partition: this.index,
      partitions: this.partitions,
      seed: this.seed,
      spawn: (kind, args) => self.spawnActor(kind, args, 0),
      param: <T>(name: string) => self.params.get(name) as T,
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
    const limit = (this.params.get(MAILBOX_LIMIT_PARAM) as number | undefined) ?? MAILBOX_LIMIT_DEFAULT;
    if (this.mailbox.size > limit) {
      throw new TickworkError(
        'TW_ERR_LIMIT',
        `partition ${this.index} holds ${this.mailbox.size} undelivered messages, over the limit of ${limit} (policy ${MAILBOX_LIMIT_PARAM}): a runaway sender?`,
      );
    }
  }

  /** Run tick `t`: every actor with a due timer or due mail, in id order. */
  tick(t: SimMs): TickOutput {
    this.now = t;
    this.digest = new Digest(this.index, t);
    // Most partitions have nothing due in most ticks: answer without building a step loop. The
    // digest is the one a tick with no steps would give, so skipping changes nothing.
    if (this.nextDue() > t) return (this.out = idleOutput(this.digest, this.partitions));
    const out: TickOutput = (this.out = {
      digestA: 0,
      digestB: 0,
      outbound: new Array(this.partitions),
      effects: [],
      events: [],
      failures: [],
      steps: 0,
      deadLetters: 0,
      escalated: undefined,
    });

    const due: Message[] = [];
    this.mailbox.takeDue(t, due);
    const mail = sortForDelivery(due, this.partitions);
    const woken = this.woken;
    const wokenCount = this.takeDueTimers(t);

    let mi = 0;
    let wi = 0;
    try {
      while (mi < mail.length || wi < wokenCount) {
        const nextMailTo = mi < mail.length ? mail[mi].to : Infinity;
        const nextWokenId = wi < wokenCount ? woken[wi] : Infinity;
        const id = nextMailTo < nextWokenId ? nextMailTo : nextWokenId;
        const rec = this.actors[Math.floor(id / this.partitions)];
        if (nextWokenId === id) {
          wi++;
          if (rec !== undefined) {
            const started = rec.started;
            rec.started = true;
            this.step(rec, started ? WAKE : START, started ? INPUT_CODE.wake : INPUT_CODE.start);
          }
        }
        while (mi < mail.length && mail[mi].to === id) {
          const m = mail[mi++];
          const live = this.actors[Math.floor(id / this.partitions)];
          if (live === undefined) {
            out.deadLetters++;
            continue;
          }
          const input: Input<unknown> = m.effect
            ? { type: 'effect-result', effectId: m.effect.effectId, ok: m.effect.ok, value: m.effect.value }
            : { type: 'message', from: m.from, body: m.body };
          this.digest.word(m.from).int(m.seq);
          this.step(live, input, m.effect ? INPUT_CODE['effect-result'] : INPUT_CODE.message);
        }
      }
    } catch (err) {
      if (!(err instanceof ActorEscalation)) throw err;
    }
    out.digestA = this.digest.a;
    out.digestB = this.digest.b;
    return out;
  }

  /** Reporter values for the metrics interval that ends with the tick just run. */
  measure(): Record<string, number> {
    const values: Record<string, number> = {};
    for (const r of this.reporters) values[r.metric] = r.measure(this);
    return values;
  }

  forEachActor(fn: (kind: string, state: unknown, id: ActorId) => void): void {
    for (const rec of this.actors) if (rec !== undefined) fn(this.kinds[rec.kind].name, rec.state, rec.id);
  }

  /** Pending mail, and mail sent this tick that is still on its way to another host. */
  forEachInFlight(fn: (m: Message) => void): void {
    this.mailbox.forEach(fn);
    const outbound = this.out?.outbound;
    if (outbound) for (const batch of outbound) if (batch) for (const m of batch) fn(m);
  }

  /** Live state of one actor, for inspectors; undefined when it does not live here. */
  inspect(id: ActorId): { id: ActorId; kind: string; state: unknown; wakeAt: number } | undefined {
    if (id % this.partitions !== this.index) return undefined;
    const rec = this.actors[Math.floor(id / this.partitions)];
    if (rec === undefined) return undefined;
    return { id, kind: this.kinds[rec.kind].name, state: rec.state, wakeAt: rec.wakeAt };
  }

  snapshot(): PartitionSnapshot {
    const actors: ActorSnapshot[] = [];
    for (const rec of this.actors) {
      if (rec === undefined) continue;
      actors.push({
        id: rec.id,
        kind: this.kinds[rec.kind].name,
        state: rec.state,
        args: rec.args,
        seq: rec.seq,
        wakeAt: rec.wakeAt,
        started: rec.started,
        rngState: rec.rng ? [...rec.rng.getState()] : undefined,
      });
    }
    return { index: this.index, nextLocal: this.nextLocal, actors, mailbox: this.mailbox.all() };
  }

  restore(snap: PartitionSnapshot): void {
    this.actors = [];
    this.timers.clear();
    this.mailbox.clear();
    this.nextLocal = snap.nextLocal;
    this.liveCount = 0;
    for (const a of snap.actors) {
      const kind = this.kindIndex.get(a.kind);
      if (kind === undefined) throw new Error(`snapshot names unknown actor kind '${a.kind}'`);
      const rec: ActorRecord = {
        id: a.id,
        kind,
        state: a.state,
        args: a.args,
        seq: a.seq,
        wakeAt: a.wakeAt,
        started: a.started,
        rng: a.rngState ? streamFromState(a.rngState) : undefined,
      };
      this.actors[Math.floor(a.id / this.partitions)] = rec;
      this.liveCount++;
      if (rec.wakeAt >= 0) this.timers.push(rec.wakeAt, rec.id);
    }
    for (const m of snap.mailbox) this.mailbox.push(m);
  }

  // ---- internals ----

  /** `code` is INPUT_CODE[input.type], passed in: a keyed lookup per step showed in profiles. */
  private step(rec: ActorRecord, input: Input<unknown>, code: number): void {
    const out = this.out;
    out.steps++;
    this.current = rec;
    this.stopRequested = false;
    this.rngView.generator = rec.rng;
    this.digest.word(rec.id).word(code);
    const kind = this.kinds[rec.kind];
    try {
      const next = kind.receive(rec.state, input, this.ctx);
      if (next !== undefined) rec.state = next;
    } catch (err) {
      this.fail(rec, kind, err);
    }
    if (this.stopRequested) this.remove(rec);
    this.current = undefined;
  }

  private fail(rec: ActorRecord, kind: ActorKind, err: unknown): void {
    const failure: ActorFailure = {
      actorId: rec.id,
      kind: kind.name,
      policy: kind.onFailure,
      message: err instanceof Error ? err.message : String(err),
    };
    this.out.failures.push(failure);
    this.digest.word(0xfa11).word(rec.id);
    if (kind.onFailure === 'restart') {
      rec.state = kind.init(rec.args, rec.id);
    } else if (kind.onFailure === 'stop') {
      this.stopRequested = true;
    } else {
      this.out.escalated = failure;
      throw new ActorEscalation(failure.message);
    }
  }

  private remove(rec: ActorRecord): void {
    const local = Math.floor(rec.id / this.partitions);
    if (this.actors[local] === rec) {
      this.actors[local] = undefined;
      this.liveCount--;
    }
    rec.wakeAt = -1;
  }

  private spawnActor(kindName: string, args: unknown, startAt: SimMs): ActorId {
    const kind = this.kindIndex.get(kindName);
    if (kind === undefined) throw new Error(`unknown actor kind '${kindName}'`);
    const local = this.nextLocal++;
    const id = local * this.partitions + this.index;
    const rec: ActorRecord = {
      id,
      kind,
      state: this.kinds[kind].init(args, id),
      args,
      seq: 0,
      wakeAt: startAt,
      started: false,
      rng: undefined,
    };
    this.actors[local] = rec;
    this.liveCount++;
    this.timers.push(startAt, id);
    return id;
  }

  /** Quantise a requested time to a tick strictly after now. */
  private dueAt(t: SimMs): SimMs {
    const tick = this.tickMs;
    const q = Math.ceil(t / tick) * tick;
    const next = this.now + tick;
    return q > next ? q : next;
  }

  /** Take the due wake-ups into `this.woken`; returns how many. */
  private takeDueTimers(t: SimMs): number {
    return this.timers.takeDue(
      t,
      (time, id) => {
        const rec = this.actors[Math.floor(id / this.partitions)];
        if (rec === undefined || rec.id !== id || rec.wakeAt !== time) return false;
        rec.wakeAt = -1;
        return true;
      },
      this.woken,
    );
  }

  private createContext(): ActorContext {
    const p = this;
    return {
      get id() {
        return p.current!.id;
      },
      get now() {
        return p.now;
      },
      get partitions() {
        return p.partitions;
      },
      get rng() {
        const rec = p.current!;
        if (rec.rng === undefined) {
          rec.rng = createStream(p.seed, rec.id);
          p.rngView.generator = rec.rng;
        }
        return p.rngView;
      },
      send(to: ActorId, body: unknown, delayMs = 0): void {
        const rec = p.current!;
        if (!(to >= 0) || to !== Math.floor(to)) throw new Error(`send: invalid recipient ${to}`);
        const deliverAt = p.dueAt(p.now + delayMs);
        const m: Message = { to, from: rec.id, seq: rec.seq++, deliverAt, body };
        const dest = to % p.partitions;
        (p.out.outbound[dest] ??= []).push(m);
        p.digest.word(to).int(deliverAt).value(body);
      },
      spawn(kind: string, args?: unknown): ActorId {
        const id = p.spawnActor(kind, args, p.dueAt(p.now));
        p.digest.word(0x5a).word(id);
        return id;
      },
      wakeAt(t: SimMs): void {
        const rec = p.current!;
        rec.wakeAt = p.dueAt(t);
        p.timers.push(rec.wakeAt, rec.id);
      },
      stop(): void {
        p.stopRequested = true;
      },
      effect(kind: string, request: unknown): string {
        const rec = p.current!;
        const effectId = `${rec.id}:${rec.seq++}`;
        p.out.effects.push({ effectId, actorId: rec.id, kind, request });
        p.digest.string(effectId).string(kind).value(request);
        return effectId;
      },
      emit(type: string, data?: unknown): void {
        p.out.events.push({ actorId: p.current!.id, type, data, simMs: p.now });
        p.digest.string(type).value(data);
      },
      observe(metric: string, value: number): void {
        p.metrics.observe(metric, value);
      },
      count(metric: string, n = 1): void {
        p.metrics.count(metric, n);
      },
      param<T>(name: string): T {
        return p.params.get(name) as T;
      },
    };
  }
}

