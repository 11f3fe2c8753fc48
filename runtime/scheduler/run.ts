// One simulation run: the tick loop. Per tick: apply due outside inputs, then the scenario
// timeline, dispatch one task per worker, wait at the barrier, merge in partition order, route
// messages, fold the digest, collect metrics and judge invariants, then tell the bus. Everything
// that decides the outcome is a function of (scenario, seed, input log); wall time only paces.
import { randomUUID } from 'node:crypto';
import type { PackModel, Reporter } from '../packs/pack-model.js';
import { OUTSIDE, type ActorId } from '../actor/types.js';
import { loadWorkerPack, type PackCatalogue } from '../packs/pack-catalogue.js';
import type { InputSource, PackModule, SourceContext, WorkerRef } from '../packs/pack-module.js';
import { RunBus } from '../bus.js';
import { Digest, canonicalJson } from '../digest.js';
import { EffectRunner, type EffectOutcome } from '../effects/effect-runner.js';
import { packEffectOptions } from '../effects/pack-effects.js';
import { TickworkError, type ErrorCode } from '../errors.js';
import { InvariantChecker, type Violation } from '../invariants/invariant-checker.js';
import { createLogger, type Logger } from '../logger.js';
import { MetricBook, type MetricBookSnapshot } from '../metrics/metric-book.js';
import type { Histogram } from '../metrics/histogram.js';
import { PaceController, interruptibleSleep, wallNowMs } from '../pacing.js';
import { mailMinDeliverAt, type Mail, type Message } from '../partition/message.js';
import { decodeBatch } from '../partition/message-batch.js';
import { InlineExecutor } from '../pool/inline-executor.js';
import { ChaosJudgement } from '../invariants/chaos-judgement.js';
import { TickAbortedError, TickOverrunError, WorkerLostError, type PartitionExecutor } from '../pool/executor.js';
import { WorkerPoolExecutor } from '../pool/worker-pool-executor.js';
import type { EffectRequest, ParamDelta, PartitionTickResult } from '../protocol.js';
import type { SealedSnapshot } from '../partition/sealed-snapshot.js';
import { memoryUsedPct } from '../metrics/memory.js';
import type { CheckerSnapshot } from '../invariants/invariant-checker.js';
import type { Store, RunStatus, CheckpointRow } from '../store/store.js';
import { eventParamName, type LoggedInput, type OutsideInput } from './outside-input.js';
import { InputLog } from './input-log.js';
import { RunRecorder } from './run-recorder.js';
import { RUN_DEFAULTS, type RunOptions } from './run-options.js';
import { buildTimeline, eventSpan, quantise, rampSteps, type TimelineChange } from './timeline.js';
import { BreakingPoint, type BreakingPointSnapshot } from '../invariants/breaking-point.js';
import { buildSummary, type RunSummary } from './run-summary.js';
import { isOpenEnded } from '../scenario/scenario-schema.js';

/** Everything the main thread must restore to continue a run from a checkpoint. */
export interface MainState {
  lastTickMs: number;
  ticks: number;
  digestA: number;
  digestB: number;
  params: ParamDelta[];
  /** Messages routed for the next tick (decoded, so a checkpoint is independent of the worker count). */
  routed: Message[];
  nextDue: number[];
  timelineIndex: number;
  liveEventEnds: { atMs: number; type: string }[];
  nextCollectAt: number;
  nextCheckpointAt: number;
  steps: number;
  messages: number;
  actorFailures: number;
  actors: number;
  pendingEffects: EffectRequest[];
  metrics: MetricBookSnapshot;
  checker: CheckerSnapshot;
  /** Ramp scenarios: the breaking-point tally so far. */
  breaking?: BreakingPointSnapshot;
}

export type RunMode = 'live' | 'replay';

export interface RunDeps {
  /** The packs this process knows; the run loads its scenario's pack from here. */
  packs: PackCatalogue;
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
}

/** Longest stretch of ticks (wall ms) without yielding to the event loop. */
const YIELD_EVERY_MS = 4;

/** Invariants judged against wall time, meaningless in turbo. */
const PACED_ONLY_METRICS = new Set(['runtime.drift_ms', 'runtime.drift_ms_per_s']);

export class Run {
  readonly id: string;
  readonly bus: RunBus;
  readonly options: RunOptions;
  status: RunStatus | 'pending' = 'pending';

  /** Writes to the store: live runs with a store only. */
  private readonly recorder: RunRecorder | undefined;
  private readonly mode: RunMode;
  private readonly log: Logger;
  private readonly tickMs: number;
  private readonly pace: PaceController;
  private readonly timeline: TimelineChange[];
  private readonly book: MetricBook;
  private readonly checker: InvariantChecker;
  private readonly effects: EffectRunner;
  private executor!: PartitionExecutor;
  private pack!: PackModel;
  private readonly packRef: WorkerRef;
  private readonly packModule: PackModule;
  private reporters: readonly Reporter[] = [];

  private state!: MainState;
  private params = new Map<string, unknown>();
  private digest = new Digest();
  /** Mail routed for the next tick, by destination host. */
  private mail: Mail[][] = [];
  private lastCheckpoint: CheckpointRow | undefined;
  private readonly inputs: InputLog;
  private sources: InputSource[] = [];
  private issuedEffects = new Set<string>();
  /** For input sources' own tables. */
  private readonly store: Store | undefined;
  /** Results of deterministic jobs that arrived before their due tick. */
  private readonly heldResults = new Map<string, EffectOutcome>();
  private recoveries = 0;
  private wake: { wake?: () => void } = {};
  private interruptRequested = false;
  private stopApplied: string | undefined;
  private escalation: string | undefined;
  private failFastViolation: Violation | undefined;
  private startedWallMs = 0;
  private lastYieldWallMs = 0;
  private currentTick = -1;
  /** Sim time of the last tick that collected the partitions' metrics. */
  private collectedAtMs = -1;
  /** The run ended because its pack's work was done (PackModule.endsWhenIdle), before its duration. */
  private endedIdle = false;
  private summaryCache: RunSummary | undefined;
  private interruptGrace: NodeJS.Timeout | undefined;
  private errorCode: ErrorCode | undefined;
  private breaking: BreakingPoint | undefined;
  private tickStartedWallMs: number | undefined;
  /** An interrupt ended the tick in flight: its workers are gone, the last checkpoint stands. */
  private tickAborted = false;
  /** Partition snapshots taken on interrupt, while the workers still live. */
  private interruptSnapshot: SealedSnapshot[] | undefined;

  constructor(options: RunOptions, deps: RunDeps) {
    const packModule = deps.packs.get(options.scenario.pack);
    // A new run takes the pack's environment settings once; a resumed one keeps what it stored.
    if (!deps.runId && packModule.envPolicies) options = { ...options, policies: { ...packModule.envPolicies(process.env), ...options.policies } };
    this.options = options;
    this.id = deps.runId ?? randomUUID();
    this.mode = deps.mode ?? 'live';
    this.recorder = deps.store && this.mode === 'live' ? new RunRecorder(deps.store, this.id) : undefined;
    this.store = deps.store;
    this.bus = deps.bus ?? new RunBus();
    this.log =
      deps.logger?.child({ runId: this.id }) ??
      createLogger({ runId: this.id, scenario: options.scenario.name }, () => ({ tick: this.state?.ticks ?? 0, simMs: Math.max(0, this.currentTick) }));
    this.tickMs = options.scenario.tickMs;
    this.pace = new PaceController(options.pace);
    this.timeline = buildTimeline(options.scenario.events, this.tickMs);
    const ramp = options.scenario.ramp;
    if (ramp) {
      // The ramp multiplies the policy the run starts with (a --policy override included).
      const base = Number(options.policies[ramp.policy] ?? options.scenario.policies[ramp.policy]);
      this.timeline = [...this.timeline, ...rampSteps(ramp, base, options.durationMs, this.tickMs)].sort((a, b) => a.atMs - b.atMs);
      this.breaking = new BreakingPoint(ramp, base, options.durationMs);
    }
    const specs = options.scenario.invariants;
    const intervalMs = options.scenario.metricsIntervalMin * 60_000;
    const chaos = options.scenario.chaos;
    const maxWindowMs = Math.max(intervalMs, ChaosJudgement.lookbackMs(chaos), ...specs.map((s) => (s.windowMin ?? 0) * 60_000));
    this.book = new MetricBook(intervalMs, maxWindowMs);
    const notApplicable = new Set(options.pace === 'turbo' ? specs.filter((s) => PACED_ONLY_METRICS.has(s.metric)).map((s) => s.id) : []);
    this.checker = new InvariantChecker(specs, this.book, notApplicable, chaos);
    for (const e of options.scenario.events) this.checker.chaosEvent({ type: e.type, ...eventSpan(e, this.tickMs) });
    this.packModule = packModule;
    this.packRef = this.packModule.worker;
    this.effects = new EffectRunner(packEffectOptions(this.packModule), (outcome) => this.onEffectOutcome(outcome));
    this.inputs = new InputLog(deps.inputs ?? [], this.recorder && ((logged) => this.recorder!.input(logged)));
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
      });
    }
  }

  /** Latest executed tick's sim time (or -1 before the first tick). */
  get simMs(): number {
    return this.state ? Math.max(0, this.state.lastTickMs) : 0;
  }

  /** Live param values (scenario policies, live changes, active events), for watchers. */
  currentParams(): Record<string, unknown> {
    return Object.fromEntries(this.params);
  }

  // ---- outside world -> run ----

  /** Queue an outside input; it takes effect at the next tick and is written to the input log. */
  submit(input: OutsideInput): void {
    if (this.status !== 'running' && this.status !== 'pending') {
      throw new TickworkError('TW_ERR_RUN_STATE', `run ${this.id} is ${this.status}`);
    }
    this.checkAddress(input);
    this.inputs.enqueue({ input });
    this.wake.wake?.();
  }

  /**
   * Queue an outside input and resolve once it is durably in the input log (written to the store
   * at the tick it takes effect): a source acknowledges upstream only then, so a crash before
   * that point makes the upstream redeliver. Rejects if the run ends first.
   */
  submitLogged(input: OutsideInput): Promise<LoggedInput> {
    return new Promise((resolve, reject) => {
      if (this.status !== 'running' && this.status !== 'pending') {
        reject(new TickworkError('TW_ERR_RUN_STATE', `run ${this.id} is ${this.status}`));
        return;
      }
      this.checkAddress(input);
      this.inputs.enqueue({ input, logged: resolve, dropped: reject });
      this.wake.wake?.();
    });
  }

  /** Signal handling: finish the current tick, checkpoint, flush, mark the run interrupted. */
  requestInterrupt(): void {
    this.interruptRequested = true;
    this.wake.wake?.();
    // A tick that is stuck (an actor in an endless loop) must not hold a shutdown for the watchdog's
    // whole limit: past the grace, the tick and its workers are ended.
    this.interruptGrace ??= setTimeout(() => {
      if (this.executor?.abortTick()) this.log.warn({ graceMs: RUN_DEFAULTS.interruptGraceMs }, 'the tick in flight outlived the interrupt grace; its workers were ended and the run resumes from its last checkpoint');
    }, RUN_DEFAULTS.interruptGraceMs).unref();
  }

  /** Mark the run interrupted in the store at once, for a process about to exit without finishing it. */
  abandon(): void {
    this.recorder?.abandoned(); // a no-op once the run's final row is written
  }

  /** Wall milliseconds the tick in flight has taken so far (0 between ticks): /healthz's stuck-run signal. */
  tickInFlightMs(): number {
    return this.tickStartedWallMs === undefined ? 0 : wallNowMs() - this.tickStartedWallMs;
  }

  /** Chaos hook for tests and operators: kill one worker thread; the run recovers. */
  killWorker(slot: number): Promise<void> {
    return this.executor.killWorker(slot);
  }

  /** The whole run's histogram of one metric (for exporters; do not record into it). */
  metricHistogram(metric: string): Histogram | undefined {
    return this.book.histogram(metric);
  }

  inspectActor(actorId: number) {
    return this.executor.inspect(actorId);
  }

  // ---- the loop ----

  async execute(): Promise<RunSummary> {
    this.status = 'running';
    this.startedWallMs = wallNowMs();
    this.pack = await loadWorkerPack(this.packRef);
    this.reporters = this.pack.reporters ?? [];
    this.executor = this.options.workers === 0 ? new InlineExecutor() : new WorkerPoolExecutor(this.options.workers, this.options.scenario.tickWatchdogSec * 1000);
    try {
      const resumeFrom = this.lastCheckpoint;
      if (resumeFrom) {
        await this.surviveWorkerLoss(() => this.restoreFrom(resumeFrom));
        this.log.info({ fromSimMs: resumeFrom.tickMs }, 'resumed from checkpoint');
      } else {
        await this.surviveWorkerLoss(() => this.startFresh());
      }
      this.bus.emit('run', { runId: this.id, status: 'running', simMs: this.simMs });
      const o = this.options;
      this.log.info({ seed: o.seed, pack: o.scenario.pack, pace: o.pace, workers: o.workers, partitions: o.partitions, durationMs: o.durationMs }, 'run started');
      this.pace.anchor(this.state.lastTickMs < 0 ? 0 : this.state.lastTickMs);
      await this.startSources();
      await this.loop();
      if ((this.status as RunStatus) === 'interrupted' && !this.tickAborted) this.interruptSnapshot = await this.snapshotUnlessLost();
    } catch (err) {
      if (err instanceof TickworkError) this.errorCode = err.code;
      // A store that cannot write is the host's fault, not the run's: resumable from its last
      // checkpoint once the fault is gone. Anything else fails the run.
      this.status = this.errorCode === 'TW_ERR_STORE' ? 'interrupted' : 'failed';
      // The code leads, so a reader (and a CI grep) tells infrastructure from a model's failure.
      this.escalation ??= err instanceof TickworkError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
      this.log.error({ err }, 'run failed');
    } finally {
      clearTimeout(this.interruptGrace);
      await this.stopSources();
      await this.executor.close().catch(() => undefined);
    }
    this.inputs.dropQueued(() => new TickworkError('TW_ERR_RUN_STATE', `run ${this.id} ended (${this.status}) before the input was logged`));
    return this.finish();
  }

  private async startFresh(): Promise<void> {
    const { options } = this;
    const params = new Map<string, unknown>(Object.entries({ ...options.scenario.policies, ...options.policies }));
    params.set('tickMs', this.tickMs);
    this.params = params;
    this.inputs.replayAll();
    const loaded = await this.executor.load(this.loadSpec(), undefined);
    this.mail = this.emptyMail();
    this.state = {
      lastTickMs: -this.tickMs,
      ticks: 0,
      digestA: 0,
      digestB: 0,
      params: [...params.entries()],
      routed: [],
      nextDue: loaded.nextDue,
      timelineIndex: 0,
      liveEventEnds: [],
      nextCollectAt: 0,
      nextCheckpointAt: options.scenario.checkpointEveryMin * 60_000,
      steps: 0,
      messages: 0,
      actorFailures: 0,
      actors: loaded.actorCount,
      pendingEffects: [],
      metrics: this.book.snapshot(),
      checker: this.checker.snapshot(),
    };
    this.digest = new Digest(this.options.seed >>> 0, options.partitions);
    // A start-of-run checkpoint (no partition snapshots: the pack's setup rebuilds them), so a
    // worker death or a kill before the first periodic checkpoint is recoverable.
    this.saveCheckpoint(undefined);
  }

  private loadSpec() {
    return {
      runId: this.id,
      pack: this.packRef,
      seed: this.options.seed,
      partitions: this.options.partitions,
      tickMs: this.tickMs,
      params: [...this.params.entries()] as ParamDelta[],
    };
  }

  private async loop(): Promise<void> {
    for (;;) {
      if (this.interruptRequested) {
        this.status = 'interrupted';
        return;
      }
      const t = await this.nextTickTime();
      if (t === undefined) {
        if (this.interruptRequested) continue;
        this.status = 'completed';
        return;
      }
      try {
        await this.runTick(t);
      } catch (err) {
        if (err instanceof TickOverrunError) throw this.overrunError(err);
        if (err instanceof TickAbortedError) {
          this.tickAborted = true;
          this.status = 'interrupted';
          return;
        }
        if (!(err instanceof WorkerLostError)) throw err;
        this.countRecovery(err);
        const cp = this.lastCheckpoint!; // startFresh saved one
        await this.surviveWorkerLoss(() => this.restoreFrom(cp));
        continue;
      }
      if (this.escalation) {
        this.status = 'failed';
        return;
      }
      if (this.stopApplied) {
        this.status = 'stopped';
        return;
      }
      if (this.failFastViolation) {
        // Ended early by its own verdict: not a completed run.
        const v = this.failFastViolation;
        this.escalation ??= `fail-fast: critical gate ${v.invariantId} failed at sim ${v.fromSimMs} ms (observed ${v.observed}, gate ${v.operator} ${v.threshold})`;
        this.status = 'failed';
        return;
      }
      // Let HTTP requests, signals and effect completions in between ticks: at least every few
      // milliseconds of wall time, not every tick (a yield costs more than a small tick).
      const now = wallNowMs();
      if (now - this.lastYieldWallMs >= YIELD_EVERY_MS) {
        this.lastYieldWallMs = now;
        await new Promise<void>((r) => setImmediate(r));
      }
    }
  }

  /** Sim time of the next tick to run, sleeping (paced) or waiting (effects) as needed; undefined when done. */
  private async nextTickTime(): Promise<number | undefined> {
    const endMs = this.options.durationMs;
    for (;;) {
      if (this.interruptRequested) return undefined;
      const s = this.state;
      const earliest = s.lastTickMs + this.tickMs;
      let due = Math.min(...s.nextDue);
      for (const e of s.pendingEffects) if (e.dueAtMs !== undefined) due = Math.min(due, e.dueAtMs);
      for (const mails of this.mail) for (const mail of mails) due = Math.min(due, mailMinDeliverAt(mail));
      if (s.timelineIndex < this.timeline.length) due = Math.min(due, this.timeline[s.timelineIndex].atMs);
      for (const e of s.liveEventEnds) due = Math.min(due, e.atMs);
      due = Math.min(due, this.inputs.nextReplayMs() ?? Infinity);
      const idle = this.packModule.endsWhenIdle === true && s.ticks > 0 && due === Infinity && !this.inputs.hasLive && this.effects.pending === 0;
      if (this.inputs.hasLive) {
        const simNow = this.pace.simNowMs();
        due = Math.min(due, simNow === undefined ? earliest : quantise(simNow, this.tickMs));
      }
      due = Math.max(earliest, quantise(due, this.tickMs));
      if (idle || due > endMs) {
        if (!idle && this.mode === 'live' && this.effects.pending > 0) {
          await this.effects.next();
          continue;
        }
        // Paced: the run lasts its wall-clock length even when nothing happens, and can still be
        // steered; unless its pack ends runs once they are idle.
        const sleepMs = idle ? 0 : this.pace.sleepBeforeMs(endMs);
        if (sleepMs > 0) {
          // Woken by an input, a signal or the sleep's cap: look again.
          await interruptibleSleep(sleepMs, this.wake);
          continue;
        }
        // Counts made since the last collecting tick are still in the partitions: one last tick collects them.
        if (this.collectedAtMs !== s.lastTickMs && earliest <= endMs) {
          s.nextCollectAt = earliest;
          if (!(await this.releaseDueResults(earliest))) continue;
          return earliest;
        }
        this.endedIdle = idle;
        return undefined;
      }
      const sleepMs = this.pace.sleepBeforeMs(due);
      if (sleepMs > 0) {
        await interruptibleSleep(sleepMs, this.wake);
        if (this.pace.sleepBeforeMs(due) > 0) continue; // woken early by an input or a signal
      }
      if (!(await this.releaseDueResults(due))) continue;
      return due;
    }
  }

  /**
   * Deterministic jobs due by tick `t`: queue their results, in request order, to be applied at
   * `t`; false (after waiting for the next effect to finish) while one is still running.
   */
  private async releaseDueResults(t: number): Promise<boolean> {
    if (this.mode !== 'live') return true; // a replay reads them from the input log at their ticks
    const due = this.state.pendingEffects.filter((e) => e.dueAtMs !== undefined && e.dueAtMs <= t && !this.inputs.hasResultFor(e.effectId));
    const missing = due.filter((e) => !this.heldResults.has(e.effectId));
    if (missing.length > 0) {
      // Nothing running could answer them (never submitted): ask again rather than wait forever.
      if (this.effects.pending === 0) for (const e of missing) this.effects.submit(e);
      await this.effects.next();
      return false;
    }
    for (const e of due) {
      const o = this.heldResults.get(e.effectId)!;
      this.heldResults.delete(e.effectId);
      this.inputs.enqueue({ input: { kind: 'effect-result', effectId: o.effectId, actorId: o.actorId, ok: o.ok, value: o.value } });
    }
    return true;
  }

  private async runTick(t: number): Promise<void> {
    const s = this.state;
    this.currentTick = t;
    const tickStarted = wallNowMs();
    const driftMs = this.pace.driftMs(t);
    const paramDeltas: ParamDelta[] = [];
    const outsideMessages: Message[] = [];

    while (s.timelineIndex < this.timeline.length && this.timeline[s.timelineIndex].atMs <= t) {
      const c = this.timeline[s.timelineIndex++];
      this.log.info({ param: c.name, value: c.value }, c.value === undefined ? 'scenario event ends' : 'scenario event starts');
      this.setParam(c.name, c.value, paramDeltas);
    }
    s.liveEventEnds = s.liveEventEnds.filter((e) => {
      if (e.atMs > t) return true;
      this.setParam(eventParamName(e.type), undefined, paramDeltas);
      return false;
    });
    const { recorded, live } = this.inputs.take(t);
    for (const logged of recorded) this.applyInput(logged, t, paramDeltas, outsideMessages);
    for (const logged of live) {
      this.applyInput(logged, t, paramDeltas, outsideMessages);
      // Effect results are routine traffic; steering (policies, events, stops) is news.
      if (logged.input.kind === 'effect-result') this.log.debug({ seq: logged.seq, input: logged.input }, 'effect result applied');
      else this.log.info({ seq: logged.seq, input: logged.input }, 'outside input applied');
      this.bus.emit('input', { runId: this.id, ...logged });
    }

    const inbound = this.mail;
    this.mail = this.emptyMail();
    for (const m of outsideMessages) inbound[this.hostOf(m.to)].push([m]);
    // The last tick a run can have always collects: nothing recorded is left in the partitions.
    const collect = t >= s.nextCollectAt || t >= this.options.durationMs;

    const dispatched = wallNowMs();
    this.tickStartedWallMs = dispatched;
    const result = await this.executor.tick({ t, inbound, params: paramDeltas, collect }).finally(() => (this.tickStartedWallMs = undefined));
    const dispatchUs = (wallNowMs() - dispatched) * 1000;

    // Barrier: merge in partition order, never completion order.
    const digest = this.digest.int(t);
    let steps = 0;
    let messages = 0;
    let actors = 0;
    let execUsMax = 0;
    for (const r of result.partitions) {
      digest.word(r.digestA).word(r.digestB);
      s.nextDue[r.index] = r.nextDue;
      steps += r.steps;
      messages += r.sent;
      actors += r.actorCount;
      execUsMax = Math.max(execUsMax, r.execUs);
      for (const e of r.effects) this.requestEffect(e, t);
      for (const e of r.events) this.bus.emit('event', { ...e, runId: this.id });
      for (const f of r.failures) {
        s.actorFailures++;
        this.book.add('runtime.actor_failures', 1);
        this.log.warn({ actorId: f.actorId, kind: f.kind, policy: f.policy, error: f.message }, 'actor failed');
      }
      if (r.deadLetters > 0) this.book.add('runtime.dead_letters', r.deadLetters);
      if (r.escalated) this.escalation = `actor ${r.escalated.actorId} (${r.escalated.kind}) failed and escalated: ${r.escalated.message}`;
    }
    this.mail = result.mail;
    s.ticks++;
    s.steps += steps;
    s.messages += messages;
    s.actors = actors;
    s.lastTickMs = t;

    const tickUs = (wallNowMs() - tickStarted) * 1000;
    this.book.record('runtime.tick_us', tickUs);
    this.book.record('runtime.dispatch_us', dispatchUs);
    if (steps > 0) this.book.record('runtime.step_ns', (execUsMax * 1000) / steps);
    if (this.options.pace !== 'turbo') this.book.record('runtime.drift_ms', driftMs);
    this.book.add('runtime.steps', steps);
    this.book.add('runtime.messages', messages);

    if (this.options.pace !== 'turbo') this.book.record('runtime.drift_ms_per_s', this.pace.driftMsPerRealSecond(driftMs));
    if (collect) this.closeInterval(t, result.metrics, result.partitions);

    this.bus.emit('tick', { runId: this.id, tick: s.ticks, simMs: t, steps, actors, messages, tickUs });
    if (t >= s.nextCheckpointAt && !this.stopApplied && !this.escalation) {
      const every = this.options.scenario.checkpointEveryMin * 60_000;
      s.nextCheckpointAt = (Math.floor(t / every) + 1) * every;
      await this.checkpoint();
    }
  }

  private closeInterval(t: number, deltas: Parameters<MetricBook['ingest']>[0], partitions: readonly PartitionTickResult[]): void {
    const s = this.state;
    this.collectedAtMs = t;
    const intervalMs = this.options.scenario.metricsIntervalMin * 60_000;
    s.nextCollectAt = (Math.floor(t / intervalMs) + 1) * intervalMs;
    this.book.ingest(deltas);
    this.book.setGauges(this.reporters, partitions.map((r) => r.gauges ?? {}));
    (this.pack.audits ?? []).forEach((audit, i) => {
      const judged = audit.judge(partitions.map((r) => r.audits?.[i]), t);
      for (const [name, value] of Object.entries(judged)) this.book.setGauge(name, value);
    });
    // Once per metrics interval (reading RSS costs ~80 µs): the memory trend needs a sample per
    // interval of sim time, however fast turbo runs through them.
    const rss = process.memoryUsage.rss();
    this.book.setGauge('runtime.memory_pct', memoryUsedPct(rss));
    // The whole process (workers' heaps included): its trend per sim day is the leak signal.
    this.book.setGauge('runtime.rss_mb', Math.round(rss / 1_048_576));
    this.book.closeInterval(t);
    // Building the view costs a summary per histogram: only when someone watches.
    if (this.bus.listenerCount('interval') > 0) this.bus.emit('interval', { runId: this.id, simMs: t, ...this.book.intervalView() });
    for (const v of this.checker.evaluate(t, false)) {
      this.bus.emit('violation', { ...v, runId: this.id });
      this.log.warn({ invariant: v.invariantId, observed: v.observed, threshold: v.threshold }, 'invariant violated');
      if (this.options.failFast && v.severity === 'critical') this.failFastViolation ??= v;
    }
    this.breaking?.interval(t, this.rampLoad(), this.checker.failingCritical());
    this.recorder?.interval(t, this.book, this.checker, () => ({ ticks: this.state.ticks, digest: this.digest.hex() }));
  }

  private applyInput(logged: LoggedInput, t: number, deltas: ParamDelta[], outside: Message[]): void {
    const input = logged.input;
    this.digest.word(0x1a).string(canonicalJson(input));
    switch (input.kind) {
      case 'policy':
        for (const [name, value] of Object.entries(input.policies)) this.setParam(name, value, deltas);
        break;
      case 'event': {
        const endsAtMs = quantise(t + input.durationMs, this.tickMs);
        this.setParam(eventParamName(input.type), { ...input.parameters, startedAtMs: t, endsAtMs }, deltas);
        this.state.liveEventEnds = this.state.liveEventEnds.filter((e) => e.type !== input.type);
        this.state.liveEventEnds.push({ atMs: endsAtMs, type: input.type });
        this.checker.chaosEvent({ type: input.type, startMs: t, endMs: endsAtMs });
        break;
      }
      case 'message':
        outside.push({ to: this.recipientOf(input.to), from: OUTSIDE, seq: logged.seq, deliverAt: t, body: input.body });
        break;
      case 'effect-result':
        this.state.pendingEffects = this.state.pendingEffects.filter((e) => e.effectId !== input.effectId);
        outside.push({
          to: input.actorId,
          from: OUTSIDE,
          seq: logged.seq,
          deliverAt: t,
          body: undefined,
          effect: { effectId: input.effectId, ok: input.ok, value: input.value },
        });
        break;
      case 'stop':
        this.stopApplied = input.reason;
        break;
    }
  }

  private setParam(name: string, value: unknown, deltas: ParamDelta[]): void {
    if (value === undefined) this.params.delete(name);
    else this.params.set(name, value);
    deltas.push([name, value]);
  }

  /** A message by name needs a pack that resolves names; refuse it at the edge, not at its tick. */
  private checkAddress(input: OutsideInput): void {
    if (input.kind === 'message' && typeof input.to !== 'number' && !this.packModule.resolveName) {
      throw new TickworkError('TW_ERR_VALIDATION', `pack ${this.packModule.name} does not address actors by name`, 'to');
    }
  }

  private recipientOf(to: ActorId | { name: string }): ActorId {
    return typeof to === 'number' ? to : this.packModule.resolveName!(to.name, this.options.partitions);
  }

  // ---- input sources (live runs only: a replay reads every input from the log) ----

  private async startSources(): Promise<void> {
    if (this.mode !== 'live' || !this.packModule.sources) return;
    const context: SourceContext = {
      runId: this.id,
      seed: this.options.seed,
      scenario: this.options.scenario,
      log: this.log,
      store: this.store,
      submit: (input) => this.submitLogged(input),
      onEvent: (handler) => this.bus.on('event', handler),
    };
    this.sources = this.packModule.sources(context);
    for (const source of this.sources) await source.start();
  }

  private async stopSources(): Promise<void> {
    const sources = this.sources;
    this.sources = [];
    for (const source of sources) {
      await Promise.resolve()
        .then(() => source.stop())
        .catch((err) => this.log.warn({ err, source: source.name }, 'input source failed to stop'));
    }
  }

  private requestEffect(req: EffectRequest, t: number): void {
    if (this.issuedEffects.has(req.effectId)) return; // re-executed after a recovery
    this.issuedEffects.add(req.effectId);
    const resultAfterMs = req.kind.startsWith('job:') ? this.packModule.jobs?.[req.kind.slice(4)]?.resultAfterMs : undefined;
    if (resultAfterMs !== undefined) req = { ...req, dueAtMs: quantise(t + Math.max(resultAfterMs, this.tickMs), this.tickMs) };
    this.state.pendingEffects.push(req);
    if (this.mode !== 'live') return; // replay: the result is in the input log
    if (this.inputs.hasResultFor(req.effectId)) return;
    this.effects.submit(req);
  }

  private onEffectOutcome(o: EffectOutcome): void {
    if (this.status !== 'running') return;
    // A job's wall time, as a metric (the input itself stays free of wall time: it is digested).
    const pending = this.state.pendingEffects.find((e) => e.effectId === o.effectId);
    if (pending?.kind.startsWith('job:')) this.book.record(`runtime.job_us.${pending.kind.slice(4)}`, Math.max(1, Math.round(o.elapsedMs * 1000)));
    if (pending?.dueAtMs !== undefined) {
      this.heldResults.set(o.effectId, o); // applied at its due tick, not before
      this.wake.wake?.();
      return;
    }
    this.inputs.enqueue({ input: { kind: 'effect-result', effectId: o.effectId, actorId: o.actorId, ok: o.ok, value: o.value } });
    this.wake.wake?.();
  }

  // ---- checkpoints and recovery ----

  private emptyMail(): Mail[][] {
    return Array.from({ length: this.executor.hostCount }, () => []);
  }

  private hostOf(actorId: number): number {
    return (actorId % this.options.partitions) % this.executor.hostCount;
  }

  private captureMain(): MainState {
    const routed: Message[] = [];
    for (const mails of this.mail) {
      for (const mail of mails) {
        if (Array.isArray(mail)) routed.push(...mail);
        else decodeBatch(mail, (m) => routed.push(m));
      }
    }
    return structuredClone({
      ...this.state,
      routed,
      digestA: this.digest.a,
      digestB: this.digest.b,
      params: [...this.params.entries()],
      metrics: this.book.snapshot(),
      checker: this.checker.snapshot(),
      breaking: this.breaking?.snapshot(),
    });
  }

  private async checkpoint(): Promise<void> {
    const previous = this.lastCheckpoint?.tickMs;
    this.saveCheckpoint(await this.executor.snapshot());
    // Effects issued before this checkpoint are never re-issued (a recovery re-executes only
    // ticks after it); those still pending are in the checkpoint's state.
    this.issuedEffects = new Set(this.state.pendingEffects.map((e) => e.effectId));
    if (isOpenEnded(this.options.durationMs) && previous !== undefined) this.compact(previous);
  }

  /**
   * A service run's bounds: inputs at or before the older of the two kept checkpoints leave the
   * log (resume starts from the newer checkpoint, replay from the older), and old metric rows are
   * thinned by RETENTION. So store and heap stay flat for weeks.
   */
  private compact(olderCheckpointMs: number): void {
    this.inputs.compactThrough(olderCheckpointMs);
    this.recorder?.compact(olderCheckpointMs, this.state.lastTickMs);
  }

  private saveCheckpoint(partitions: SealedSnapshot[] | undefined): void {
    const cp: CheckpointRow = { tickMs: Math.max(0, this.state.lastTickMs), main: this.captureMain(), partitions };
    this.lastCheckpoint = cp;
    this.recorder?.checkpoint(cp);
  }

  private async restoreFrom(cp: CheckpointRow): Promise<void> {
    const main = structuredClone(cp.main as MainState);
    this.state = main;
    this.params = new Map(main.params);
    this.digest = new Digest(main.digestA, main.digestB);
    this.book.restore(main.metrics);
    this.checker.restore(main.checker);
    this.breaking?.restore(main.breaking);
    const appliedUpTo = main.lastTickMs;
    this.inputs.replayAfter(appliedUpTo);
    this.issuedEffects = new Set(main.pendingEffects.map((e) => e.effectId));
    if (this.mode === 'live') {
      const answered = this.inputs.answeredEffects();
      for (const e of main.pendingEffects) if (!answered.has(e.effectId)) this.effects.submit(e);
    }
    this.stopApplied = undefined;
    await this.executor.load(this.loadSpec(), cp.partitions);
    const byHost: Message[][] = Array.from({ length: this.executor.hostCount }, () => []);
    for (const m of main.routed) byHost[this.hostOf(m.to)].push(m);
    this.mail = byHost.map((messages) => (messages.length > 0 ? [messages] : []));
  }

  /** The ramp's load counter, whole run. */
  private rampLoad(): number {
    return this.book.stat(this.options.scenario.ramp?.loadMetric ?? '', 'sum') ?? 0;
  }

  /** A hung tick fails the run (resuming would hang again), naming the actor and its kind. */
  private overrunError(err: TickOverrunError): TickworkError {
    const kind = this.pack.kinds[err.kindIndex]?.name;
    const what = err.actorId >= 0 ? `actor ${err.actorId} (kind ${kind ?? err.kindIndex}) was being stepped` : 'no actor was being stepped';
    return new TickworkError('TW_ERR_LIMIT', `${err.message}: ${what}; raise tickWatchdogSec if a tick may really take that long`);
  }

  /**
   * Run `load` (a fresh start or a restore) again after each worker death, however many die at
   * once or during the load itself, within the run's recovery budget: piscina replaces the threads.
   */
  private async surviveWorkerLoss(load: () => Promise<void>): Promise<void> {
    for (;;) {
      try {
        return await load();
      } catch (err) {
        if (!(err instanceof WorkerLostError)) throw err;
        this.countRecovery(err);
      }
    }
  }

  private countRecovery(err: WorkerLostError): void {
    this.recoveries++;
    if (this.recoveries > RUN_DEFAULTS.maxWorkerRecoveries) {
      throw new TickworkError('TW_ERR_WORKER_LOST', `${err.message}; gave up after ${this.recoveries - 1} recoveries`);
    }
    // Unapplied live inputs stay queued; applied ones after the checkpoint replay from the log.
    this.log.warn({ slot: err.slot, fromSimMs: this.lastCheckpoint?.tickMs ?? 0 }, 'worker died; restoring its partitions from the last checkpoint');
  }

  /** The interrupt checkpoint's partitions; undefined if a worker died meanwhile (the last checkpoint then stands). */
  private async snapshotUnlessLost(): Promise<SealedSnapshot[] | undefined> {
    try {
      return await this.executor.snapshot();
    } catch (err) {
      if (!(err instanceof WorkerLostError)) throw err;
      this.log.warn({ slot: err.slot }, 'worker died while interrupting; the run resumes from its last checkpoint');
      return undefined;
    }
  }

  // ---- end of run ----

  private async finish(): Promise<RunSummary> {
    const s = this.state;
    if (s && this.status !== 'interrupted' && this.status !== 'failed') {
      for (const v of this.checker.evaluate(Math.max(0, s.lastTickMs), true)) this.bus.emit('violation', { ...v, runId: this.id });
    }
    // A run that ran its course covered its duration; one that ended idle, only the time it ran.
    if (this.status === 'completed' && !this.failFastViolation && s && !isOpenEnded(this.options.durationMs) && !this.endedIdle) {
      s.lastTickMs = Math.max(s.lastTickMs, this.options.durationMs);
    }
    if (s) this.breaking?.finish(Math.max(0, s.lastTickMs), this.rampLoad());
    const summary = this.summary();
    if (this.recorder && s) {
      try {
        if (this.status === 'interrupted' && this.interruptSnapshot) this.saveCheckpoint(this.interruptSnapshot);
        this.recorder.finished(this.status as RunStatus, this.checker.allViolations(), {
          digest: summary.digest,
          ticks: s.ticks,
          sim_ms: summary.simTimeMs,
          summary_json: JSON.stringify(summary),
          error: this.escalation ?? null,
        });
      } catch (err) {
        if (!(err instanceof TickworkError && err.code === 'TW_ERR_STORE')) throw err;
        // The row still says running, owned by this process: the next process to open the store
        // marks it interrupted, and this one's registry may resume it. The last checkpoint stands.
        this.log.error({ err }, 'the run\'s final row could not be written; its last checkpoint stands');
      }
    }
    this.bus.emit('run', { runId: this.id, status: this.status, simMs: summary.simTimeMs, digest: summary.digest });
    this.log.info({ status: this.status, passed: summary.passed, verdicts: summary.verdicts, digest: summary.digest }, `run ended: ${summary.passed ? 'PASSED' : 'FAILED'}`);
    return summary;
  }

  summary(): RunSummary {
    if (this.summaryCache && this.status !== 'running') return this.summaryCache;
    const s = this.state;
    const summary = buildSummary({
      runId: this.id,
      options: this.options,
      status: this.status,
      digest: this.digest.hex(),
      ticks: s?.ticks ?? 0,
      simTimeMs: s ? Math.max(0, s.lastTickMs) : 0,
      wallMs: wallNowMs() - this.startedWallMs,
      steps: s?.steps ?? 0,
      messages: s?.messages ?? 0,
      actors: s?.actors ?? 0,
      actorFailures: s?.actorFailures ?? 0,
      book: this.book,
      kpis: this.pack?.kpis?.(this.book, { simMs: s ? Math.max(0, s.lastTickMs) : 0 }),
      checker: this.checker,
      error: this.escalation,
      errorCode: this.errorCode,
      breakingPoint: this.breaking?.report(),
      inputs: this.inputs.size,
      workerRecoveries: this.recoveries,
    });
    if (this.status !== 'running' && this.status !== 'pending') this.summaryCache = summary;
    return summary;
  }
}

function persistedOptions(o: RunOptions) {
  return {
    scenarioRef: o.scenarioRef,
    seed: o.seed,
    workers: o.workers,
    partitions: o.partitions,
    pace: o.pace,
    durationMs: o.durationMs,
    failFast: o.failFast,
    policies: o.policies,
    eventFlags: o.eventFlags,
  };
}
