// The runs one process hosts (the HTTP server's): start them from a scenario and a request,
// find them by id or as "latest", steer them, stop them, and keep a short history of closed
// metric intervals for watchers that connect mid-run. Finished runs stay listed from the store.
import { HOSTED_RUN_LIMITS, SERVER_LIMITS } from '../limits.js';
import { randomInt } from 'node:crypto';
import type { IntervalEvent, InputEvent } from '../bus.js';
import { TickworkError } from '../errors.js';
import { EventEmitter } from 'eventemitter3';
import { memoryUsedPct } from '../metrics/memory.js';
import { wallNowMs, type Pace } from '../pacing.js';
import { checkEvent, checkPolicies, loadScenario } from '../scenario/scenario-loader.js';
import type { Store } from '../store/store.js';
import type { PackCatalogue } from '../packs/pack-catalogue.js';
import { resolveRunRef } from '../store/run-ref.js';
import { Run } from './run.js';
import { claimForResume } from './stored-run.js';
import { resolveRunOptions } from './run-options.js';
import type { RunSummary } from './run-summary.js';
import { getHeapStatistics } from 'node:v8';

export interface StartRequest {
  scenario: string;
  seed?: number;
  policies?: Record<string, unknown>;
  /** Real minutes the run lasts: paced, the sim duration that fills them; turbo, a wall-clock stop. */
  durationMinutes?: number;
  /**
   * Sim time the run covers instead of its scenario's duration (the CLI's --duration): for a pack
   * whose requests name their own window. At most SERVER_LIMITS.maxSimDurationMs.
   */
  simDurationMs?: number;
  pace?: Pace;
  workers?: number;
  failFast?: boolean;
  /** Stored with the run, to find it again (a sweep's runs carry `sweep:<id>`). */
  label?: string;
}

export interface HostedRun {
  run: Run;
  done: Promise<RunSummary>;
  /** Closed intervals, newest last, bounded. */
  history: IntervalEvent[];
  /** Inputs applied so far (policies and events), for timelines. */
  inputs: InputEvent[];
  /** Wall time the run ended at (pacing clock), once it has. */
  endedWallMs?: number;
  /** Admission's estimate of the heap the run's actors take (bytes), for the runs admitted after it. */
  heapEstimate?: number;
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

export class RunRegistry {
  private readonly hosted = new Map<string, HostedRun>();
  /** Every run this registry starts or resumes, and how it ended (for a server's console). */
  readonly lifecycle = new EventEmitter<{
    started: (h: HostedRun) => void;
    ended: (h: HostedRun, summary: RunSummary) => void;
  }>();

  constructor(
    private readonly store: Store,
    readonly packs: PackCatalogue,
    /** `env`: the host's environment, for new runs' pack settings (PackIo.envPolicies). */
    private readonly defaults: { workers?: number; env?: Readonly<Record<string, string | undefined>> } = {},
  ) {}

  /**
   * Why a new run with `workers` threads and a heap estimate of `bytes` cannot start now, or
   * undefined when it can. Memory is judged three ways: the machine's (resident set, with what
   * runs started but not yet spawned will take), the main thread's V8 heap for an inline run, and a
   * worker's V8 heap for its share of a threaded one.
   */
  capacityRefusal(workers: number, bytes = 0): string | undefined {
    const active = this.running();
    if (active.length >= SERVER_LIMITS.maxActiveRuns)
      return `${active.length} runs are active, the limit is ${SERVER_LIMITS.maxActiveRuns}`;
    const threads = active.reduce((n, h) => n + h.run.options.workers, 0);
    if (threads + workers > SERVER_LIMITS.maxWorkersTotal)
      return `active runs use ${threads} worker threads; ${workers} more would pass the limit of ${SERVER_LIMITS.maxWorkersTotal}`;
    // Runs admitted whose actors are not spawned yet: not in any heap or resident set so far.
    const unspawned = active.filter((h) => h.run.ticks === 0);
    const pending = (runs: readonly HostedRun[]) => runs.reduce((n, h) => n + (h.heapEstimate ?? 0), 0);
    const memoryPct = memoryUsedPct(process.memoryUsage.rss() + pending(unspawned) + bytes);
    if (memoryPct >= SERVER_LIMITS.maxMemoryPct)
      return `the process would use ${memoryPct.toFixed(0)}% of the memory it may use (limit ${SERVER_LIMITS.maxMemoryPct}%)${bytes ? `, counting this run's ${mb(bytes)}` : ''}`;
    const heap = getHeapStatistics();
    const room = (heap.heap_size_limit * SERVER_LIMITS.maxHeapPct) / 100;
    if (workers === 0) {
      const inlineUnspawned = pending(unspawned.filter((h) => h.run.options.workers === 0));
      if (heap.used_heap_size + inlineUnspawned + bytes > room)
        return `an inline run of about ${mb(bytes)} would take the server's JavaScript heap past ${SERVER_LIMITS.maxHeapPct}% of its ${mb(heap.heap_size_limit)} (${mb(heap.used_heap_size)} used): ask for workers`;
    } else if (bytes / workers > room)
      return `about ${mb(bytes / workers)} per worker would take a worker's JavaScript heap past ${SERVER_LIMITS.maxHeapPct}% of its ${mb(heap.heap_size_limit)}: ask for more workers or fewer actors`;
    return undefined;
  }

  start(req: StartRequest): HostedRun {
    if (req.workers !== undefined && req.workers > SERVER_LIMITS.maxWorkersPerRun) {
      throw new TickworkError(
        'TW_ERR_VALIDATION',
        `workers: at most ${SERVER_LIMITS.maxWorkersPerRun} per run on this host`,
        'workers',
      );
    }
    this.requireWritableStore();
    // Only scenarios the catalogue knows: a request never names a file on this host.
    const scenario = loadScenario(this.packs, req.scenario, { allowFiles: false });
    if (req.policies) checkPolicies(this.packs, scenario.pack, req.policies, 'TW_ERR_VALIDATION', 'body', ['policies']);
    const base = resolveRunOptions(req.scenario, scenario, {
      // The seed is chosen here, at the edge, and reported: every run is reproducible.
      seed: req.seed ?? randomInt(0, 2 ** 31),
      workers: req.workers ?? this.defaults.workers,
      pace: req.pace,
      policies: req.policies ?? {},
      failFast: req.failFast,
    });
    if (req.simDurationMs !== undefined) {
      if (!(req.simDurationMs > 0 && req.simDurationMs <= SERVER_LIMITS.maxSimDurationMs)) {
        throw new TickworkError(
          'TW_ERR_VALIDATION',
          `duration: between 1 ms and ${SERVER_LIMITS.maxSimDurationMs / 86_400_000} days of sim time`,
          'duration',
        );
      }
      base.durationMs = Math.round(req.simDurationMs);
    }
    const actors =
      this.packs.get(scenario.pack).contract.actorsAtStart?.({ ...scenario.policies, ...base.policies }) ?? 0;
    // Spawning many actors inline would hold the event loop for seconds and put them in the
    // server's own heap; on a worker the digest is the same (any worker count gives it).
    if (base.workers === 0 && actors > SERVER_LIMITS.maxInlineActors) base.workers = 1;
    // For the same reason a run that would choose its executor does not start inline: on workers.
    if (base.autoWorkers && actors > SERVER_LIMITS.maxInlineActors) base.autoWorkers = false;
    const heapEstimate = actors * SERVER_LIMITS.bytesPerActor;
    const refusal = this.capacityRefusal(base.workers, heapEstimate);
    if (refusal) throw new TickworkError('TW_ERR_CAPACITY', `not starting ${req.scenario}: ${refusal}`);
    const paced = base.pace !== 'turbo';
    const options =
      req.durationMinutes !== undefined && paced
        ? { ...base, durationMs: Math.round(req.durationMinutes * 60_000 * (base.pace as number)) }
        : base;
    const hosted = this.host(
      new Run(options, { store: this.store, packs: this.packs, env: this.defaults.env, label: req.label }),
    );
    hosted.heapEstimate = heapEstimate;
    if (req.durationMinutes !== undefined && !paced) {
      const timer = setTimeout(
        () => this.trySubmitStop(hosted.run, 'durationMinutes elapsed'),
        req.durationMinutes * 60_000,
      );
      timer.unref();
      void hosted.done.finally(() => clearTimeout(timer));
    }
    return hosted;
  }

  /** Continue an interrupted run (this server's, after a restart, or a killed CLI's) from its checkpoint. */
  resume(ref: string): HostedRun {
    this.requireWritableStore();
    const id = this.resolveId(ref);
    const current = this.hosted.get(id);
    if (current && isActive(current.run))
      throw new TickworkError('TW_ERR_RUN_STATE', `run ${id} is running here`, 'runId');
    // Judged with the threads the run was recorded with: it resumes with those.
    const { workers } = JSON.parse(this.store.findRun(id).options_json) as { workers?: number };
    const refusal = this.capacityRefusal(workers ?? 1);
    if (refusal) throw new TickworkError('TW_ERR_CAPACITY', `not resuming ${id}: ${refusal}`);
    const { options, inputs, checkpoint } = claimForResume(this.packs, this.store, id, { notRunningHere: true });
    return this.host(new Run(options, { store: this.store, packs: this.packs, inputs, checkpoint, runId: id }));
  }

  private host(run: Run): HostedRun {
    const hosted: HostedRun = { run, done: run.execute(), history: [], inputs: [] };
    run.bus.on('interval', (e) => {
      hosted.history.push(e);
      if (hosted.history.length > HOSTED_RUN_LIMITS.intervalHistory) hosted.history.shift();
    });
    run.bus.on('input', (e) => {
      if (hosted.inputs.length < HOSTED_RUN_LIMITS.inputHistory) hosted.inputs.push(e);
    });
    void hosted.done.finally(() => (hosted.endedWallMs = wallNowMs()));
    void hosted.done.then((summary) => this.lifecycle.emit('ended', hosted, summary));
    this.prune();
    this.hosted.set(run.id, hosted);
    this.lifecycle.emit('started', hosted);
    return hosted;
  }

  get(runId: string): HostedRun | undefined {
    return this.hosted.get(runId);
  }

  /** The full id of a run named by its id or a unique prefix, hosted here or stored. */
  resolveId(ref: string): string {
    return resolveRunRef(ref, (prefix) => {
      const ids = new Set([...this.hosted.keys()].filter((id) => id.startsWith(prefix)));
      for (const id of this.store.runIdsStartingWith(prefix)) ids.add(id);
      return [...ids].slice(0, 2);
    });
  }

  /** A hosted run by id, or the newest one (of a pack) for "latest". */
  find(runId: string | undefined, pack?: string): HostedRun | undefined {
    if (runId !== undefined && runId !== 'latest') return this.hosted.get(runId);
    const all = [...this.hosted.values()].filter((h) => pack === undefined || h.run.options.scenario.pack === pack);
    return all[all.length - 1];
  }

  running(pack?: string): HostedRun[] {
    return [...this.hosted.values()].filter(
      (h) => isActive(h.run) && (pack === undefined || h.run.options.scenario.pack === pack),
    );
  }

  all(): HostedRun[] {
    this.prune();
    return [...this.hosted.values()];
  }

  /** Runs whose metrics are still exported: running, or ended less than `graceMs` ago. */
  exported(graceMs: number): HostedRun[] {
    const now = wallNowMs();
    return this.all().filter((h) => h.endedWallMs === undefined || now - h.endedWallMs < graceMs);
  }

  /** Ended runs leave after the retention period, and beyond the newest HOSTED_RUN_LIMITS.maxEndedHosted. */
  private prune(): void {
    const now = wallNowMs();
    const ended = [...this.hosted.values()].filter((h) => h.endedWallMs !== undefined);
    ended.forEach((h, i) => {
      if (
        now - h.endedWallMs! > HOSTED_RUN_LIMITS.endedRetentionMs ||
        i < ended.length - HOSTED_RUN_LIMITS.maxEndedHosted
      )
        this.hosted.delete(h.run.id);
    });
  }

  submitPolicy(runId: string, policies: Record<string, unknown>): void {
    const hosted = this.requireActive(runId);
    checkPolicies(this.packs, hosted.run.options.scenario.pack, policies, 'TW_ERR_VALIDATION', 'body', ['policies']);
    hosted.run.submit({ kind: 'policy', policies });
  }

  submitEvent(runId: string, type: string, durationMin: number, parameters: Record<string, unknown>): void {
    const hosted = this.requireActive(runId);
    const checked = checkEvent(
      this.packs,
      hosted.run.options.scenario.pack,
      type,
      parameters,
      'TW_ERR_VALIDATION',
      'body',
      [],
    );
    hosted.run.submit({ kind: 'event', type, durationMs: Math.round(durationMin * 60_000), parameters: checked });
  }

  /** The kill switch: the stop takes effect at the next tick; resolves when the run is persisted. */
  async stop(runId: string, reason: string): Promise<RunSummary> {
    const hosted = this.requireActive(runId);
    hosted.run.submit({ kind: 'stop', reason });
    return hosted.done;
  }

  async stopAll(reason: string): Promise<void> {
    const active = this.running();
    for (const h of active) this.trySubmitStop(h.run, reason);
    await Promise.allSettled(active.map((h) => h.done));
  }

  /** A run started on a store that cannot write would fail at once: refuse it (503) until the fault is gone. */
  private requireWritableStore(): void {
    const health = this.store.health();
    if (!health.ok)
      throw new TickworkError('TW_ERR_UNAVAILABLE', `the store cannot take a new run now: ${health.error}`);
  }

  /**
   * The server is going away (a signal, a restart): every active run finishes its tick,
   * checkpoints and is marked `interrupted`, so a later `POST /api/runs/:id/resume` (or
   * `tickwork resume`) continues it. A stop would end it for good.
   */
  async interruptAll(): Promise<void> {
    const active = this.running();
    for (const h of active) h.run.requestInterrupt();
    await Promise.allSettled(active.map((h) => h.done));
  }

  private requireActive(runId: string): HostedRun {
    const hosted = this.hosted.get(runId);
    if (!hosted) {
      if (this.store.getRun(runId))
        throw new TickworkError('TW_ERR_RUN_STATE', `run ${runId} is not running in this server`);
      throw new TickworkError('TW_ERR_RUN_NOT_FOUND', `unknown run '${runId}'`, 'runId');
    }
    if (!isActive(hosted.run)) throw new TickworkError('TW_ERR_RUN_STATE', `run ${runId} is ${hosted.run.status}`);
    return hosted;
  }

  private trySubmitStop(run: Run, reason: string): void {
    if (isActive(run)) run.submit({ kind: 'stop', reason });
  }
}

function isActive(run: Run): boolean {
  return run.status === 'running' || run.status === 'pending';
}
