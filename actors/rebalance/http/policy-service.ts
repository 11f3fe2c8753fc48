// The policy service behind /api/policy/*: a request names a run by (system, snapshot version,
// policy version, time bucket); its deterministic run_key finds a run already made or queues a
// new one. The queue is in the store (a restart picks up what was pending), runs one at a time
// on the job pool, and a pending run can be canceled. The kill switch (greedy only) is a stored
// setting, so it takes effect at once, without a restart, and survives one.
import { type Logger, PackError, runJob, wallNowMs } from '../../../runtime/sdk.js';
import { cityClockOfEpochMs, cityProblem } from '../domain/city/city-problem.js';
import type { City } from '../domain/city/city.js';
import { nearestArcs } from '../domain/optimiser/arcs.js';
import { allowed, type PolicyConfig } from '../domain/rollout/policy-config.js';
import { runKey } from '../domain/rollout/run-key.js';
import { PLAN_JOB, type PlanRequest, type PlanResult } from '../sim/plan-job.js';
import type { PolicyRunRow, PolicyStore } from '../store/policy-store.js';
import type { ApiConfig } from '../config/api-config.js';

const GREEDY = 'rebal.greedy.v1';
const GLOBAL = 'rebal.global.v1';
const KILL_SWITCH = 'kill_switch';

export interface RunRequest {
  systemId: string;
  sv: number;
  policyVersion: string;
  tBucket: number;
}

/** What the service tells its router to count. */
export interface ServiceEvents {
  runAnswered(status: string): void;
  runFinished(latencyMs: number): void;
  cancelOutcome(outcome: 'canceled' | 'not_pending' | 'unknown'): void;
  snapshotMismatch(): void;
}

interface Queued {
  runId: string;
  enqueuedAt: number;
  request: RunRequest;
  /** Also compute the global policy beside greedy and store it as a shadow run under this id. */
  shadowRunId?: string;
}

export class PolicyService {
  private readonly queue: Queued[] = [];
  private running = false;
  private readonly arcs = new Map<string, ReturnType<typeof nearestArcs>>();
  /** Resolves when the queue is empty (for shutdown and tests). */
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly store: PolicyStore,
    readonly config: ApiConfig,
    private readonly events: ServiceEvents,
    private readonly log: Logger,
    /**
     * Once aborted the queue stops and nothing more is written (the store is closing); pending runs stay pending for
     * the next start.
     */
    private readonly closing: AbortSignal = new AbortController().signal,
  ) {
    // Runs left pending by a stop or a crash are still owed an answer.
    for (const r of store.pendingRuns())
      this.queue.push({
        runId: r.run_id,
        enqueuedAt: wallNowMs(),
        request: { systemId: r.system_id, sv: r.sv, policyVersion: r.policy_version, tBucket: r.t_bucket },
      });
    if (this.queue.length > 0) void this.pump();
  }

  get killSwitch(): boolean {
    return this.store.setting(KILL_SWITCH) === 'on';
  }

  setKillSwitch(on: boolean): void {
    this.store.setSetting(KILL_SWITCH, on ? 'on' : 'off');
    this.log.warn({ killSwitch: on }, on ? 'kill switch on: greedy only' : 'kill switch off');
  }

  /** The configuration in force: the environment's, collapsed to greedy while the kill switch is on. */
  effectiveConfig(): PolicyConfig {
    const base = this.config.policy;
    if (!this.killSwitch) return base;
    const greedyOnly = [GREEDY] as PolicyConfig['available'];
    return {
      available: greedyOnly,
      defaultVersion: GREEDY,
      allowlist: Object.fromEntries(Object.keys(base.allowlist).map((s) => [s, greedyOnly])),
    };
  }

  get queueDepth(): number {
    return this.queue.length;
  }

  oldestQueuedAgeMs(): number {
    return this.queue.length > 0 ? wallNowMs() - this.queue[0].enqueuedAt : 0;
  }

  private unknownSystem(systemId: string): PackError {
    return new PackError(
      'unknown_system',
      404,
      `no system '${systemId}' (import one: tickwork rebalance import)`,
      'system_id',
    );
  }

  private city(systemId: string): City {
    const city = this.store.system(systemId);
    if (!city) throw this.unknownSystem(systemId);
    return city;
  }

  private checkSnapshot(systemId: string, sv: number): void {
    const current = this.store.currentSnapshot(systemId)?.sv ?? 0;
    if (sv !== current) {
      this.events.snapshotMismatch();
      throw new PackError(
        'view_snapshot_mismatch',
        409,
        `snapshot version ${sv} of '${systemId}' is not the current one (${current}): refresh the station view and ask again`,
        'sv',
        { current_sv: current },
      );
    }
  }

  /**
   * GET /api/policy/run: the run for these parameters, queued if it is new. `beforeCreate` runs
   * only when a run is about to be created (a caller's creation limit); it throws to refuse.
   */
  requestRun(req: RunRequest, beforeCreate: () => void = () => undefined): PolicyRunRow {
    // Not parsed here (it is cached, but a repeat needs none of it): only known to exist.
    if (!this.store.hasSystem(req.systemId)) throw this.unknownSystem(req.systemId);
    const config = this.effectiveConfig();
    if (!allowed(config, req.systemId, req.policyVersion)) {
      throw new PackError(
        'policy_version_not_allowed',
        403,
        `'${req.policyVersion}' is not available for '${req.systemId}' (available: ${config.available.join(', ')})`,
        'policy_version',
      );
    }
    const key = runKey({
      systemId: req.systemId,
      sv: String(req.sv),
      policyVersion: req.policyVersion,
      tBucket: req.tBucket,
    });
    // Looked up first: a repeat is answered without reading the city, and creates nothing.
    const existing = this.store.run(key);
    if (existing) {
      this.events.runAnswered(existing.status);
      return existing;
    }
    this.checkSnapshot(req.systemId, req.sv);
    beforeCreate();
    if (this.queue.length >= this.config.queueMax)
      throw new PackError(
        'queue_full',
        503,
        `the policy queue holds ${this.queue.length} runs (POLICY_QUEUE_MAX); try again shortly`,
      );
    // Shadow mode: a greedy run gets the global policy's run on the same snapshot beside it, recorded, not served.
    const shadow =
      req.policyVersion === GREEDY && this.config.rollout.stage === 'shadow' && allowed(config, req.systemId, GLOBAL);
    const shadowRunId = shadow
      ? `${runKey({ systemId: req.systemId, sv: String(req.sv), policyVersion: GLOBAL, tBucket: req.tBucket })}~shadow`
      : undefined;
    this.store.db.transaction(() => {
      this.store.insertPending({
        run_id: key,
        system_id: req.systemId,
        sv: req.sv,
        policy_version: req.policyVersion,
        t_bucket: req.tBucket,
        shadow: 0,
      });
      if (shadowRunId)
        this.store.insertPending({
          run_id: shadowRunId,
          system_id: req.systemId,
          sv: req.sv,
          policy_version: GLOBAL,
          t_bucket: req.tBucket,
          shadow: 1,
        });
    })();
    this.queue.push({ runId: key, enqueuedAt: wallNowMs(), request: req, ...(shadowRunId ? { shadowRunId } : {}) });
    void this.pump();
    const row = this.store.run(key)!;
    this.events.runAnswered(row.status);
    return row;
  }

  /** POST /api/policy/cancel: a pending run moves to the canceled path; anything else is left as it is. */
  cancel(runId: string): { run_key: string; outcome: 'canceled' | 'not_pending' } {
    const row = this.store.run(runId);
    if (!row) {
      this.events.cancelOutcome('unknown');
      throw new PackError('unknown_run', 404, `no policy run '${runId}'`, 'run_key');
    }
    const canceled = this.store.cancel(runId);
    if (canceled) {
      const i = this.queue.findIndex((q) => q.runId === runId);
      if (i >= 0) {
        const [q] = this.queue.splice(i, 1);
        if (q.shadowRunId) this.store.cancel(q.shadowRunId);
      }
    }
    this.events.cancelOutcome(canceled ? 'canceled' : 'not_pending');
    return { run_key: runId, outcome: canceled ? 'canceled' : 'not_pending' };
  }

  /** Where a pending run stands in the queue (1 = next), undefined when it is not queued. */
  queuePosition(runId: string): number | undefined {
    const i = this.queue.findIndex((q) => q.runId === runId);
    return i >= 0 ? i + 1 : undefined;
  }

  whenIdle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0 && !this.closing.aborted) await this.compute(this.queue.shift()!);
    } finally {
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async compute(q: Queued): Promise<void> {
    if (!this.store.markStarted(q.runId)) return; // canceled meanwhile
    const started = wallNowMs();
    const queueMs = started - q.enqueuedAt;
    try {
      const city = this.city(q.request.systemId);
      const bikes = this.store.snapshot(q.request.systemId, q.request.sv);
      if (!bikes || bikes.length !== city.stations.length)
        throw new Error(`snapshot ${q.request.sv} does not match the system's ${city.stations.length} stations`);
      const arcsKey = `${q.request.systemId}:${city.stations.length}`;
      let arcs = this.arcs.get(arcsKey);
      if (!arcs) this.arcs.set(arcsKey, (arcs = nearestArcs(city.stations, 8)));
      const members = city.stations.map((_, i) => i);
      const problem = cityProblem(city, members, arcs, bikes, cityClockOfEpochMs(q.request.tBucket * 1000), {
        horizonMin: this.config.horizonMin,
        moveBudget: this.config.moveBudget,
        unmetWeight: 10,
        costPerBikeKm: 1,
      });
      const global = q.request.policyVersion === GLOBAL || q.shadowRunId !== undefined;
      const request: PlanRequest = { problem, global, budgetMs: this.config.globalBudgetMs };
      const result = (await runJob(
        PLAN_JOB,
        request,
        AbortSignal.timeout(this.config.globalBudgetMs + 30_000),
      )) as PlanResult;
      if (this.closing.aborted) return; // left pending (started): the next start runs it again
      const solveMs = wallNowMs() - started;
      const ids = city.stations.map((s) => s.id);
      const greedyObjective = result.greedy.objective;
      const served = q.request.policyVersion === GLOBAL ? result.global! : result.greedy;
      this.store.finish(q.runId, ids, {
        moves: served.moves,
        objective: served.objective,
        greedyObjective,
        ...(served.fallback ? { fallback: served.fallback } : {}),
        queueMs,
        solveMs,
      });
      if (q.shadowRunId && result.global) {
        this.store.finish(q.shadowRunId, ids, {
          moves: result.global.moves,
          objective: result.global.objective,
          greedyObjective,
          ...(result.global.fallback ? { fallback: result.global.fallback } : {}),
          queueMs,
          solveMs,
        });
      }
      this.events.runFinished(queueMs + solveMs);
    } catch (err) {
      if (this.closing.aborted) return;
      const reason =
        (err as Error).name === 'AbortError' ? 'timeout: the job overran its hard budget' : (err as Error).message;
      this.log.warn({ runId: q.runId, err: reason }, 'policy run failed');
      this.store.fail(q.runId, reason);
      if (q.shadowRunId) this.store.fail(q.shadowRunId, reason);
    }
  }
}
