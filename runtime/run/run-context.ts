// The state one run shares between the files of runtime/run/: what it was started with, the
// machinery it built (metric book, checker, effect runner, input log, executor) and the main
// thread's part of its state. Each concept of a run is a file of functions over this context; the
// `Run` class (run.ts) orchestrates them.
import { randomUUID } from 'node:crypto';
import type { Reporter, PackModel } from '../packs/pack-model.js';
import type { InputSource } from '../packs/pack-io.js';
import type { RunnablePack } from '../packs/runnable-pack.js';
import { RunBus } from '../bus.js';
import { Digest } from '../digest.js';
import { EffectRunner, type EffectOutcome } from '../effects/effect-runner.js';
import { packEffectOptions } from '../effects/pack-effects.js';
import type { ErrorCode } from '../errors.js';
import { InvariantChecker, type Violation } from '../invariants/invariant-checker.js';
import { ChaosJudgement } from '../invariants/chaos-judgement.js';
import { BreakingPoint } from '../invariants/breaking-point.js';
import { createLogger, type Logger } from '../logger.js';
import { MetricBook } from '../metrics/metric-book.js';
import { PaceController } from '../pacing.js';
import type { Mail, Message } from '../partition/message.js';
import { decodeBatch } from '../partition/message-batch.js';
import type { SealedSnapshot } from '../partition/sealed-snapshot.js';
import { hostOfActor } from '../placement.js';
import type { PartitionExecutor } from '../pool/executor.js';
import type { ExecutorChoice, ExecutorChooser } from '../pool/executor-chooser.js';
import type { Store, RunStatus, CheckpointRow } from '../store/store.js';
import type { MainState } from './main-state.js';
import { InputLog } from './input-log.js';
import type { LoggedInput } from './outside-input.js';
import { RunRecorder } from './run-recorder.js';
import type { RunOptions } from './run-options.js';
import type { RunSummary } from './run-summary.js';
import { buildTimeline, eventSpan, rampSteps, type TimelineChange } from './timeline.js';

export type RunMode = 'live' | 'replay';

export interface RunDeps {
  /** The packs this process knows; the run takes what it needs of its scenario's pack from here. */
  packs: { runnable(name: string): RunnablePack };
  /** Where the run is recorded; replays run without one. */
  store?: Store;
  bus?: RunBus;
  logger?: Logger;
  mode?: RunMode;
  /** Recorded inputs to feed back (replay, resume). */
  inputs?: LoggedInput[];
  /** Continue from this checkpoint instead of starting fresh (resume). */
  checkpoint?: CheckpointRow;
  runId?: string;
  /**
   * The host's environment, for a new run's pack settings (PackIo.envPolicies). The host reads it
   * (the CLI, the server) and hands it in: nothing under runtime/run/ reads process.env.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Stored with a new run so it can be found again (`runs --label`); a sweep labels its runs `sweep:<id>`. */
  label?: string;
}

/** Invariants judged against wall time, meaningless in turbo. */
const PACED_ONLY_METRICS = new Set(['runtime.drift_ms', 'runtime.drift_ms_per_s']);

export class RunContext {
  readonly id: string;
  readonly bus: RunBus;
  readonly options: RunOptions;
  status: RunStatus | 'pending' = 'pending';

  /** Writes to the store: live runs with a store only. */
  readonly recorder: RunRecorder | undefined;
  readonly mode: RunMode;
  readonly log: Logger;
  readonly tickMs: number;
  readonly pace: PaceController;
  readonly timeline: TimelineChange[];
  readonly book: MetricBook;
  readonly checker: InvariantChecker;
  readonly effects: EffectRunner;
  executor!: PartitionExecutor;
  /**
   * The executor holds the run's partitions: false until the first load, while a recovery or a
   * handover moves them, and once a run on workers has ended. An inspector asking then gets no actor.
   */
  partitionsLoaded = false;
  /** Present for a run that chooses its executor: it measures, then re-checks its choice (executor-chooser.ts). */
  chooser: ExecutorChooser | undefined;
  /** The last tick closed a metrics interval: the partitions hold nothing uncollected. */
  tickCollected = false;
  /** What the run settled on and why (in its summary); undefined while it still measures. */
  executorChoice: ExecutorChoice | undefined;
  /** The pack's model, loaded when the run executes. */
  model!: PackModel;
  readonly pack: RunnablePack;
  reporters: readonly Reporter[] = [];

  state!: MainState;
  params = new Map<string, unknown>();
  digest = new Digest();
  /** Mail routed for the next tick, by destination host. */
  mail: Mail[][] = [];
  lastCheckpoint: CheckpointRow | undefined;
  readonly inputs: InputLog;
  sources: InputSource[] = [];
  issuedEffects = new Set<string>();
  /** For input sources' own tables. */
  readonly store: Store | undefined;
  /** Results of deterministic jobs that arrived before their due tick. */
  readonly heldResults = new Map<string, EffectOutcome>();
  recoveries = 0;
  wake: { wake?: () => void } = {};
  interruptRequested = false;
  stopApplied: string | undefined;
  escalation: string | undefined;
  failFastViolation: Violation | undefined;
  startedWallMs = 0;
  lastYieldWallMs = 0;
  currentTick = -1;
  /** Sim time of the last tick that collected the partitions' metrics. */
  collectedAtMs = -1;
  /** The run ended because its pack's work was done (PackContract.endsWhenIdle), before its duration. */
  endedIdle = false;
  summaryCache: RunSummary | undefined;
  interruptGrace: NodeJS.Timeout | undefined;
  errorCode: ErrorCode | undefined;
  breaking: BreakingPoint | undefined;
  tickStartedWallMs: number | undefined;
  /** An interrupt ended the tick in flight: its workers are gone, the last checkpoint stands. */
  tickAborted = false;
  /** Partition snapshots taken on interrupt, while the workers still live. */
  interruptSnapshot: SealedSnapshot[] | undefined;

  /** `onEffectOutcome`: where a finished effect's outcome goes (the effects bridge). */
  constructor(options: RunOptions, deps: RunDeps, onEffectOutcome: (ctx: RunContext, outcome: EffectOutcome) => void) {
    const pack = deps.packs.runnable(options.scenario.pack);
    // A new run takes the pack's environment settings once; a resumed one keeps what it stored.
    const envPolicies = pack.io?.envPolicies;
    if (!deps.runId && envPolicies)
      options = { ...options, policies: { ...envPolicies(deps.env ?? {}), ...options.policies } };
    this.options = options;
    this.id = deps.runId ?? randomUUID();
    this.mode = deps.mode ?? 'live';
    this.recorder = deps.store && this.mode === 'live' ? new RunRecorder(deps.store, this.id) : undefined;
    this.store = deps.store;
    this.bus = deps.bus ?? new RunBus();
    this.log =
      deps.logger?.child({ runId: this.id }) ??
      createLogger({ runId: this.id, scenario: options.scenario.name }, () => ({
        tick: this.state?.ticks ?? 0,
        simMs: Math.max(0, this.currentTick),
      }));
    this.tickMs = options.scenario.tickMs;
    this.pace = new PaceController(options.pace);
    this.timeline = buildTimeline(options.scenario.events, this.tickMs);
    const ramp = options.scenario.ramp;
    if (ramp) {
      // The ramp multiplies the policy the run starts with (a --policy override included).
      const base = Number(options.policies[ramp.policy] ?? options.scenario.policies[ramp.policy]);
      this.timeline = [...this.timeline, ...rampSteps(ramp, base, options.durationMs, this.tickMs)].sort(
        (a, b) => a.atMs - b.atMs,
      );
      this.breaking = new BreakingPoint(ramp, base, options.durationMs);
    }
    const specs = options.scenario.invariants;
    const intervalMs = options.scenario.metricsIntervalMin * 60_000;
    const chaos = options.scenario.chaos;
    const maxWindowMs = Math.max(
      intervalMs,
      ChaosJudgement.lookbackMs(chaos),
      ...specs.map((s) => (s.windowMin ?? 0) * 60_000),
    );
    this.book = new MetricBook(intervalMs, maxWindowMs);
    const notApplicable = new Set(
      options.pace === 'turbo' ? specs.filter((s) => PACED_ONLY_METRICS.has(s.metric)).map((s) => s.id) : [],
    );
    this.checker = new InvariantChecker(specs, this.book, notApplicable, chaos);
    for (const e of options.scenario.events) this.checker.chaosEvent({ type: e.type, ...eventSpan(e, this.tickMs) });
    this.pack = pack;
    this.effects = new EffectRunner(packEffectOptions(pack), (outcome) => onEffectOutcome(this, outcome));
    this.inputs = new InputLog(deps.inputs ?? [], this.recorder && ((logged) => this.recorder!.inputs(logged)));
    this.lastCheckpoint = deps.checkpoint;
    // A new run's row exists from the moment its id does: whoever prints or returns the id (the
    // CLI's header, a 201) can be killed the next instant and the id still names a resumable run.
    if (!deps.runId) {
      this.recorder?.created({
        scenario: options.scenario.name,
        pack: options.scenario.pack,
        seed: options.seed,
        scenario_json: JSON.stringify(options.scenario),
        options_json: JSON.stringify(persistedOptions(options)),
        ...(deps.label ? { label: deps.label } : {}),
      });
    }
  }

  /** Empty mail for the next tick, one list per host. */
  emptyMail(): Mail[][] {
    return Array.from({ length: this.executor.hostCount }, () => []);
  }

  hostOf(actorId: number): number {
    return hostOfActor(actorId, this.options.partitions, this.executor.hostCount);
  }

  /** The mail routed for the next tick, as one list (a checkpoint keeps it; a handover re-routes it). */
  routedMail(): Message[] {
    const routed: Message[] = [];
    for (const mails of this.mail)
      for (const mail of mails) {
        if (Array.isArray(mail)) routed.push(...mail);
        else decodeBatch(mail, (m) => routed.push(m));
      }
    return routed;
  }

  /** Route messages for the next tick to the hosts of the current executor. */
  routeMail(messages: readonly Message[]): void {
    const byHost: Message[][] = Array.from({ length: this.executor.hostCount }, () => []);
    for (const m of messages) byHost[this.hostOf(m.to)].push(m);
    this.mail = byHost.map((list) => (list.length > 0 ? [list] : []));
  }
}

/** What a run row keeps of its options: enough to resume and replay it. */
function persistedOptions(o: RunOptions) {
  return {
    scenarioRef: o.scenarioRef,
    seed: o.seed,
    workers: o.workers,
    autoWorkers: o.autoWorkers,
    partitions: o.partitions,
    pace: o.pace,
    durationMs: o.durationMs,
    failFast: o.failFast,
    policies: o.policies,
    eventFlags: o.eventFlags,
  };
}
