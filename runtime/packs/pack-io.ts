// A pack's io: how its runs meet the outside world. Effects and pool jobs performed outside the tick,
// input sources feeding a live run, names outside messages are addressed by, and the settings it
// takes from the environment. Everything here enters a run through its input log, so replay needs
// none of it but the names.
import type { ActorId } from '../actor/types.js';
import type { EffectHandler } from '../effects/effect-runner.js';
import type { Logger } from '../logger.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import type { LoggedInput, OutsideInput } from '../run/outside-input.js';
import type { PackTables } from '../store/pack-tables.js';
import type { WorkerRef } from './worker-ref.js';

export type { WorkerRef } from './worker-ref.js';

/**
 * Stateless work on the job pool, outside the tick, asked for by an actor as the effect
 * `job:<name>`; its result enters the run as an input like any effect's, so replay needs no solver.
 */
export interface PackJob {
  /** A module exporting `(request) => result` (sync or async), run in a pool thread. */
  readonly worker: WorkerRef;
  /** Time budget: past it the job is aborted and the actor gets `{error: 'timeout'}`. */
  readonly budgetMs: number;
  /**
   * Makes the job deterministic in sim time: its result is applied exactly this many sim ms after
   * the request (rounded up to a tick), the run waiting for the pool if it is late. Without it a
   * result lands at the first tick after it arrives, so a run's digest would depend on how fast
   * the pool was; with it the same run gives the same digest on any machine, with any workers.
   */
  readonly resultAfterMs?: number;
}

/** What a source gets from the run it feeds. */
export interface SourceContext {
  readonly runId: string;
  readonly seed: number;
  readonly scenario: Scenario;
  readonly log: Logger;
  /** The pack's own tables in the run's store (declared as its migrations); undefined for a run without a store. */
  readonly tables: PackTables | undefined;
  /**
   * Queue an input for the run's next tick; resolves once it is durably in the input log.
   * Acknowledge upstream (a JetStream ack, an HTTP 202) only then: from that point resume and
   * replay re-create everything the input causes.
   */
  submit(input: OutsideInput): Promise<LoggedInput>;
  /**
   * The run's domain events (what actors `emit`), as each tick ends and before its checkpoint: a
   * source that forwards them (an outbox) writes them here, synchronously. A resume re-runs the
   * ticks after the last checkpoint, so an event can come twice: key what you store by the event.
   */
  onEvent(handler: (event: { type: string; data: unknown; simMs: number; actorId: number }) => void): void;
  /**
   * Called once per tick, after that tick's events and before its checkpoint: a source that
   * buffers what `onEvent` hands it writes the buffer here, in one transaction, and is exactly as
   * durable as when it wrote each event at once (a checkpoint never gets ahead of the buffer).
   */
  onTickEnd(handler: (simMs: number) => void): void;
  /**
   * Other runs of this pack and scenario marked running in the same store (their ids): a service
   * that must be alone on its store reports them as an alarm. Empty without a store.
   */
  otherLiveRuns(): string[];
}

/** A long-lived feed of outside inputs (a JetStream consumer, a webhook queue), started and stopped with a live run. */
export interface InputSource {
  readonly name: string;
  start(): Promise<void> | void;
  /** Stop taking new input; called when the run ends, however it ends. */
  stop(): Promise<void> | void;
}

export interface PackIo {
  /** Effect kinds beyond `http` (e.g. a NATS publish), performed outside the tick like any effect. */
  readonly effects?: Readonly<Record<string, EffectHandler>>;
  /** Jobs its actors may run on the job pool (`ctx.effect('job:<name>', request)`). */
  readonly jobs?: Readonly<Record<string, PackJob>>;
  /** Input sources for a live run of this pack (not for replays: those read the log). */
  readonly sources?: (run: SourceContext) => InputSource[];
  /**
   * The actor an outside message addressed by name goes to (`{kind: 'message', to: {name}}`).
   * Must be a pure function of (name, partitions): it is re-applied on replay and resume.
   * `partitionOfName` (runtime/actor/names.ts) gives a stable partition to build it on.
   */
  readonly resolveName?: (name: string, partitions: number) => ActorId;
  /**
   * Policies the pack takes from the environment (a runbook's settings variables), read once when
   * a new run is created: under the scenario's and request's own policies, and stored with the run,
   * so a resume or replay uses the values it started with whatever the environment says then.
   * Throws a TickworkError naming the variable when one is wrong. The host hands the environment in.
   */
  readonly envPolicies?: (env: Readonly<Record<string, string | undefined>>) => Record<string, unknown>;
}
