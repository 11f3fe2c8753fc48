// The main-thread half of a pack: everything the runtime, the CLI and the server need to know about
// a pack without loading its behaviours. A pack is a plugin (as in fastify): it brings its contract,
// scenarios, routes, tables and commands, and the core knows it only through this interface.
// The worker half (kinds, setup, reporters, audits) is `Pack` in runtime/actor/pack.ts, loaded by
// URL in each worker, so no file under runtime/ names a pack.
import type { Router, RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import type { InvariantCatalogue } from '../actor/pack.js';
import type { ActorId } from '../actor/types.js';
import type { EffectHandler } from '../effects/effect-runner.js';
import type { Migration } from '../store/migrations.js';
import type { Logger } from '../logger.js';
import type { MetricCatalogue } from '../metrics/metric-catalogue.js';
import type { PanelCatalogue } from './panels.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import type { LoggedInput, OutsideInput } from '../scheduler/outside-input.js';
import type { Store } from '../store/store.js';
import type { RunRegistry } from '../scheduler/run-registry.js';
import type { PackCatalogue } from './pack-catalogue.js';

/** Where a worker finds a pack's worker half: a module URL and the name of its `Pack` export. */
export interface WorkerRef {
  readonly url: string;
  readonly export: string;
}

/** What scenarios and HTTP bodies may say to a pack. Fail-closed: what it does not list is refused. */
export interface PackContract {
  /** Gates a scenario may name by id (the runtime's own are added to every pack). */
  readonly invariants: InvariantCatalogue;
  /** Schema of a policies object; make it strict so unknown policy names are refused. */
  readonly policies: z.ZodType<Record<string, unknown>>;
  /** Event types and their parameters; `{}` when the pack has no events. */
  readonly events: Readonly<Record<string, z.ZodType<Record<string, unknown>>>>;
}

/** The pack's scenario files: `<dir>/<name>.json`. */
export interface PackScenarios {
  /** Absolute folder of the pack's scenario files. */
  readonly dir: string;
  /** What `tickwork run <pack>` runs. */
  readonly default: string;
  /** Also runnable by bare name (`<name>` for `<pack>/<name>`): a runbook's own names. */
  readonly bareNames?: boolean;
}

/** What the server hands a pack's router. */
export interface PackHttpContext {
  readonly runs: RunRegistry;
  readonly store: Store;
  readonly packs: PackCatalogue;
  /** The admin bearer-token check (a no-op without TICKWORK_ADMIN_TOKEN). */
  readonly requireAdmin: RequestHandler;
  /** The same check that also accepts `?token=` (for pages opened in a browser). */
  readonly requireAdminPage: RequestHandler;
  /** JSON body parser with the server's size limit; other Content-Types are refused with 415. */
  readonly jsonBody: RequestHandler[];
  /**
   * JSON whatever the Content-Type, for a runbook's routes whose curl examples send `-d` alone.
   * Safe only because the server refuses foreign Origins and Hosts before any router runs.
   */
  readonly jsonBodyAnyType: RequestHandler;
  /** Prometheus text of one pack's families (its metric catalogue over its exported runs). */
  packMetricsText(pack: string): string;
  /**
   * The listener's /metrics registry (prom-client), for what a pack measures outside runs (a
   * desk's request counters). Register with `registers: [metricsRegistry]`, names prefixed as the
   * pack's runbook names them.
   */
  readonly metricsRegistry: Registry;
  /**
   * Aborted when the server closes, just before its store does: a pack's timers, queues and other
   * background work stop on it (and must not touch the store after it fires).
   */
  readonly closing: AbortSignal;
}

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

/** A pack's own listener on its own port, beside the control server (`tickwork serve --service <pack>`). */
export interface PackService {
  /** The runbook's port; `portEnv` overrides it, and `serve --service-port` overrides both. */
  readonly defaultPort: number;
  readonly portEnv?: string;
  /** The service's routes (say /healthz and /metrics as the runbook's operators call them). */
  readonly http: (ctx: PackHttpContext) => Router;
}

/** What a source gets from the run it feeds. */
export interface SourceContext {
  readonly runId: string;
  readonly seed: number;
  readonly scenario: Scenario;
  readonly log: Logger;
  /** The run's store (for a source's own tables, declared as the pack's migrations); undefined for a run without one. */
  readonly store: Store | undefined;
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
}

/** A long-lived feed of outside inputs (a JetStream consumer, a webhook queue), started and stopped with a live run. */
export interface InputSource {
  readonly name: string;
  start(): Promise<void> | void;
  /** Stop taking new input; called when the run ends, however it ends. */
  stop(): Promise<void> | void;
}

/** A pack's CLI subcommand: `tickwork <pack> <verb> [args]`. */
export interface PackCommand {
  /** One line for `tickwork <pack> --help`. */
  readonly summary: string;
  /**
   * Returns the exit code; `--help` is the command's own to answer. `serve` runs `tickwork serve`
   * with the given arguments: a verb that presets the control server (`tickwork exec serve`).
   */
  run(argv: string[], ctx: { packs: PackCatalogue; serve(argv: string[]): Promise<number> }): Promise<number>;
}

export interface PackModule {
  readonly name: string;
  readonly description: string;
  readonly worker: WorkerRef;
  readonly contract: PackContract;
  readonly scenarios?: PackScenarios;
  /** Routes at the paths the pack's runbook names, with their own body parsing and auth. */
  readonly http?: (ctx: PackHttpContext) => Router;
  readonly service?: PackService;
  /** Path of the pack's own dashboard page (served by its router), linked from /admin. */
  readonly page?: string;
  /** Tiles and charts for the generic run page (/admin/runs/:id), as data. */
  readonly panels?: PanelCatalogue;
  /** The pack's own tables, numbered per pack (`schema_migrations` is keyed by pack and version). */
  readonly migrations?: readonly Migration[];
  readonly commands?: Readonly<Record<string, PackCommand>>;
  /** Effect kinds beyond `http` (e.g. a NATS publish), performed outside the tick like any effect. */
  readonly effects?: Readonly<Record<string, EffectHandler>>;
  /**
   * The actor an outside message addressed by name goes to (`{kind: 'message', to: {name}}`).
   * Must be a pure function of (name, partitions): it is re-applied on replay and resume.
   * `partitionOfName` (runtime/actor/names.ts) gives a stable partition to build it on.
   */
  readonly resolveName?: (name: string, partitions: number) => ActorId;
  /** Jobs its actors may run on the job pool (`ctx.effect('job:<name>', request)`). */
  readonly jobs?: Readonly<Record<string, PackJob>>;
  /** Internal metrics exported on /metrics under the pack's own names, units and labels. */
  readonly metrics?: MetricCatalogue;
  /**
   * Policies the pack takes from the environment (a runbook's settings variables), read once when
   * a new run is created: under the scenario's and request's own policies, and stored with the run,
   * so a resume or replay uses the values it started with whatever the environment says then.
   * Throws a TickworkError naming the variable when one is wrong.
   */
  readonly envPolicies?: (env: NodeJS.ProcessEnv) => Record<string, unknown>;
  /**
   * The pack's runs end once no actor has work left (no timer, message, effect or input), paced or
   * not, instead of lasting their scenario's duration: a simulation over a fixed set of work that
   * is done when the work is (the duration is then its upper bound).
   */
  readonly endsWhenIdle?: boolean;
  /** Input sources for a live run of this pack (not for replays: those read the log). */
  readonly sources?: (run: SourceContext) => InputSource[];
}
