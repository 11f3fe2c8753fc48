// One simulation run: the orchestrator of the files beside it. It starts fresh or from a checkpoint,
// then loops: the tick clock says when the next tick is due (tick-clock.ts), the tick runs and
// merges at its barrier (tick.ts), until the run completes, is stopped, fails or is interrupted;
// then it ends (run-end.ts). Everything that decides the outcome is a function of (scenario, seed,
// input log); wall time only paces. The shared state is a RunContext (run-context.ts).
import type { Histogram } from '../metrics/histogram.js';
import { loadPackModel } from '../packs/load-model.js';
import { TickworkError } from '../errors.js';
import { wallNowMs } from '../pacing.js';
import { TickAbortedError, TickOverrunError, WorkerLostError } from '../pool/executor.js';
import { EXECUTOR_TRIAL, ExecutorChooser } from '../pool/executor-chooser.js';
import { adaptExecutor, createExecutor } from './executor-handover.js';
import type { RunStatus } from '../store/store.js';
import { onEffectOutcome } from './effects-bridge.js';
import { submit, submitLogged } from './input-application.js';
import type { LoggedInput, OutsideInput } from './outside-input.js';
import { countRecovery, restoreFrom, snapshotUnlessLost, surviveWorkerLoss } from './recovery.js';
import { RunContext, type RunDeps } from './run-context.js';
import { finish, runSummary } from './run-end.js';
import { RUN_DEFAULTS, type RunOptions } from './run-options.js';
import { startSources, stopSources } from './run-sources.js';
import { startFresh } from './run-start.js';
import type { RunSummary } from './run-summary.js';
import { nextTickTime } from './tick-clock.js';
import { overrunError, runWindow } from './tick.js';

export type { RunDeps, RunMode } from './run-context.js';

/** Longest stretch of ticks (wall ms) without yielding to the event loop. */
const YIELD_EVERY_MS = 4;

export class Run {
  private readonly ctx: RunContext;

  constructor(options: RunOptions, deps: RunDeps) {
    this.ctx = new RunContext(options, deps, onEffectOutcome);
  }

  get id(): string {
    return this.ctx.id;
  }

  get bus(): RunContext['bus'] {
    return this.ctx.bus;
  }

  get options(): RunOptions {
    return this.ctx.options;
  }

  get status(): RunStatus | 'pending' {
    return this.ctx.status;
  }

  /** Latest executed tick's sim time (or -1 before the first tick). */
  get simMs(): number {
    return this.ctx.state ? Math.max(0, this.ctx.state.lastTickMs) : 0;
  }

  /** Ticks executed so far: 0 until its actors are spawned and its first tick ran. */
  get ticks(): number {
    return this.ctx.state?.ticks ?? 0;
  }

  /** Live param values (scenario policies, live changes, active events), for watchers. */
  currentParams(): Record<string, unknown> {
    return Object.fromEntries(this.ctx.params);
  }

  /** Queue an outside input; it takes effect at the next tick and is written to the input log. */
  submit(input: OutsideInput): void {
    submit(this.ctx, input);
  }

  /** Queue an outside input and resolve once it is durably in the input log (see input-application.ts). */
  submitLogged(input: OutsideInput): Promise<LoggedInput> {
    return submitLogged(this.ctx, input);
  }

  /** Signal handling: finish the current tick, checkpoint, flush, mark the run interrupted. */
  requestInterrupt(): void {
    const ctx = this.ctx;
    ctx.interruptRequested = true;
    ctx.wake.wake?.();
    // A tick that is stuck (an actor in an endless loop) must not hold a shutdown for the watchdog's
    // whole limit: past the grace, the tick and its workers are ended.
    ctx.interruptGrace ??= setTimeout(() => {
      if (ctx.executor?.abortTick())
        ctx.log.warn(
          { graceMs: RUN_DEFAULTS.interruptGraceMs },
          'the tick in flight outlived the interrupt grace; its workers were ended and the run resumes from its last checkpoint',
        );
    }, RUN_DEFAULTS.interruptGraceMs).unref();
  }

  /** Mark the run interrupted in the store at once, for a process about to exit without finishing it. */
  abandon(): void {
    this.ctx.recorder?.abandoned(); // a no-op once the run's final row is written
  }

  /** Wall milliseconds the tick in flight has taken so far (0 between ticks): /healthz's stuck-run signal. */
  tickInFlightMs(): number {
    return this.ctx.tickStartedWallMs === undefined ? 0 : wallNowMs() - this.ctx.tickStartedWallMs;
  }

  /** Chaos hook for tests and operators: kill one worker thread; the run recovers. */
  killWorker(slot: number): Promise<void> {
    return this.ctx.executor.killWorker(slot);
  }

  /** The whole run's histogram of one metric (for exporters; do not record into it). */
  metricHistogram(metric: string): Histogram | undefined {
    return this.ctx.book.histogram(metric);
  }

  /** An actor's live state, or undefined (no such actor, or the partitions are not loaded yet). */
  async inspectActor(actorId: number) {
    if (!this.ctx.partitionsLoaded) return undefined;
    return this.ctx.executor.inspect(actorId);
  }

  /** The run's summary: live while it runs, final once it ended. */
  summary(): RunSummary {
    return runSummary(this.ctx);
  }

  async execute(): Promise<RunSummary> {
    const ctx = this.ctx;
    ctx.status = 'running';
    ctx.startedWallMs = wallNowMs();
    ctx.recorder?.holdLease(() => {
      ctx.escalation ??= `TW_ERR_RUN_STATE: run ${ctx.id} was taken over by another process after its lease ran out; this one stopped writing`;
      ctx.interruptRequested = true;
      ctx.wake.wake?.();
    }, ctx.log);
    ctx.model = await loadPackModel(ctx.pack.model);
    ctx.reporters = ctx.model.reporters ?? [];
    const { workers, autoWorkers, executorTrial } = ctx.options;
    if (autoWorkers && workers > 0) {
      // It starts inline and measures (runtime/pool/executor-chooser.ts).
      ctx.chooser = new ExecutorChooser(workers, { ...EXECUTOR_TRIAL, ...executorTrial });
      ctx.executor = createExecutor(ctx, 0);
    } else {
      ctx.executorChoice = { mode: 'fixed', workers, reason: 'as asked' };
      ctx.executor = createExecutor(ctx, workers);
    }
    try {
      const resumeFrom = ctx.lastCheckpoint;
      if (resumeFrom) {
        await surviveWorkerLoss(ctx, () => restoreFrom(ctx, resumeFrom));
        ctx.log.info({ fromSimMs: resumeFrom.tickMs }, 'resumed from checkpoint');
      } else {
        await surviveWorkerLoss(ctx, () => startFresh(ctx));
      }
      ctx.bus.emit('run', { runId: ctx.id, status: 'running', simMs: this.simMs });
      const o = ctx.options;
      ctx.log.info(
        {
          seed: o.seed,
          pack: o.scenario.pack,
          pace: o.pace,
          workers: o.workers,
          autoWorkers: o.autoWorkers,
          partitions: o.partitions,
          durationMs: o.durationMs,
        },
        'run started',
      );
      ctx.pace.anchor(Math.max(ctx.state.lastTickMs, 0));
      await startSources(ctx);
      await loop(ctx);
      if ((ctx.status as RunStatus) === 'interrupted' && !ctx.tickAborted)
        ctx.interruptSnapshot = await snapshotUnlessLost(ctx);
    } catch (err) {
      if (err instanceof TickworkError) ctx.errorCode = err.code;
      // A store that cannot write is the host's fault, not the run's: resumable from its last
      // checkpoint once the fault is gone. Anything else fails the run.
      ctx.status = ctx.errorCode === 'TW_ERR_STORE' ? 'interrupted' : 'failed';
      // The code leads, so a reader (and a CI grep) tells infrastructure from a model's failure.
      ctx.escalation ??=
        err instanceof TickworkError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
      ctx.log.error({ err }, 'run failed');
    } finally {
      clearTimeout(ctx.interruptGrace);
      ctx.recorder?.releaseLease();
      await stopSources(ctx);
      // Worker threads go with the run; an inline run's partitions stay readable on this thread.
      if (ctx.executor.workerCount > 0) ctx.partitionsLoaded = false;
      await ctx.executor.close().catch(() => undefined);
    }
    ctx.inputs.dropQueued(
      () => new TickworkError('TW_ERR_RUN_STATE', `run ${ctx.id} ended (${ctx.status}) before the input was logged`),
    );
    return finish(ctx);
  }
}

async function loop(ctx: RunContext): Promise<void> {
  for (;;) {
    if (ctx.interruptRequested) {
      ctx.status = 'interrupted';
      return;
    }
    const t = await nextTickTime(ctx);
    if (t === undefined) {
      if (ctx.interruptRequested) continue;
      ctx.status = 'completed';
      return;
    }
    try {
      await runWindow(ctx, t);
    } catch (err) {
      if (err instanceof TickOverrunError) throw overrunError(ctx, err);
      if (err instanceof TickAbortedError) {
        ctx.tickAborted = true;
        ctx.status = 'interrupted';
        return;
      }
      if (!(err instanceof WorkerLostError)) throw err;
      countRecovery(ctx, err);
      const cp = ctx.lastCheckpoint!; // startFresh saved one
      await surviveWorkerLoss(ctx, () => restoreFrom(ctx, cp));
      continue;
    }
    if (ctx.escalation) {
      ctx.status = 'failed';
      return;
    }
    if (ctx.stopApplied) {
      ctx.status = 'stopped';
      return;
    }
    if (ctx.failFastViolation) {
      // Ended early by its own verdict: not a completed run.
      const v = ctx.failFastViolation;
      ctx.escalation ??= `fail-fast: critical gate ${v.invariantId} failed at sim ${v.fromSimMs} ms (observed ${v.observed}, gate ${v.operator} ${v.threshold})`;
      ctx.status = 'failed';
      return;
    }
    if (ctx.chooser) await adaptExecutor(ctx);
    // Let HTTP requests, signals and effect completions in between ticks: at least every few
    // milliseconds of wall time, not every tick (a yield costs more than a small tick).
    const now = wallNowMs();
    if (now - ctx.lastYieldWallMs >= YIELD_EVERY_MS) {
      ctx.lastYieldWallMs = now;
      await new Promise<void>((r) => setImmediate(r));
    }
  }
}

// ---- the loop ----
