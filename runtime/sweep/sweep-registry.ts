// The sweeps a control server runs (`POST /api/sweeps`): the CLI's sweep, with the runs hosted by
// the server's own run registry, so each is admitted under its limits, watched on the dashboard
// and stored with the label `sweep:<id>`. A sweep is read back from the store by that label,
// after a restart or when the CLI ran it, so `GET /api/sweeps/:id` answers for any sweep.
import { randomBytes } from 'node:crypto';
import { TickworkError } from '../errors.js';
import { HOSTED_SWEEP_LIMITS } from '../limits.js';
import type { Pace } from '../pacing.js';
import type { HostedRun, RunRegistry } from '../run/run-registry.js';
import type { RunSummary } from '../run/run-summary.js';
import { parseDurationMs } from '../scenario/duration.js';
import { checkPolicies, loadScenario } from '../scenario/scenario-loader.js';
import type { Store } from '../store/store.js';
import {
  parameterSets,
  paramsLabel,
  parseSeeds,
  SWEEP_LIMITS,
  type SweepCase,
  sweepCases,
  sweepLabel,
} from './sweep-plan.js';
import { passRates, resultJson, type SweepResult, sweepVerdict } from './sweep-results.js';

export interface SweepRequest {
  scenario: string;
  /** `1..20,42` as on the command line, or the seeds themselves. */
  seeds: string | number[];
  /** Swept policies: each name with the values it takes (every combination runs, for every seed). */
  policies?: Record<string, unknown[]>;
  /** Runs at once (default 2). */
  parallel?: number;
  /** Each run's pace (default turbo). */
  pace?: Pace;
  /** Worker threads per run (default 1: each run on a core of its own, off the server's event loop). */
  workers?: number;
  /** Sim duration of each run ('10m', '6h'); default the scenario's. */
  duration?: string;
}

/** The request as its runs start: the duration parsed once, at the start. */
type DrivenRequest = SweepRequest & { simDurationMs: number | undefined };

type SweepState = 'running' | 'completed' | 'stopped';

interface Cell {
  case: SweepCase;
  runId?: string;
  result?: SweepResult;
}

interface HostedSweep {
  id: string;
  scenario: string;
  parallel: number;
  state: SweepState;
  cells: Cell[];
  running: Set<HostedRun>;
}

/** A run of a sweep as the HTTP view shows it: ended (with its verdict), running, or not yet started. */
export type SweepCellView =
  | ReturnType<typeof resultJson>
  | { seed: number; policies: Record<string, unknown>; params: string; verdict: 'PENDING' | 'RUNNING'; runId?: string };

const DEFAULT_PARALLEL = 2;

export class SweepRegistry {
  private readonly sweeps = new Map<string, HostedSweep>();

  constructor(
    private readonly runs: RunRegistry,
    private readonly store: Store,
    /** Aborted when the server goes away: no new run starts (the running ones are interrupted with the server's). */
    private readonly closing: AbortSignal,
  ) {}

  start(req: SweepRequest): { sweepId: string; runs: number } {
    const active = [...this.sweeps.values()].filter((s) => s.state === 'running').length;
    if (active >= HOSTED_SWEEP_LIMITS.maxRunning)
      throw new TickworkError(
        'TW_ERR_CAPACITY',
        `${active} sweeps are running, the limit is ${HOSTED_SWEEP_LIMITS.maxRunning}`,
      );
    // Only scenarios the catalogue knows, as for a run; policies checked before any run starts.
    const scenario = loadScenario(this.runs.packs, req.scenario, { allowFiles: false });
    const cases = asValidation(() =>
      sweepCases(
        typeof req.seeds === 'string' ? parseSeeds(req.seeds) : [...new Set(req.seeds)],
        Object.entries(req.policies ?? {}).map(([name, values]) => ({ name, values })),
      ),
    );
    if (cases.length > HOSTED_SWEEP_LIMITS.maxRuns)
      throw new TickworkError(
        'TW_ERR_VALIDATION',
        `the sweep would make ${cases.length} runs; at most ${HOSTED_SWEEP_LIMITS.maxRuns} over HTTP (the CLI's tickwork sweep takes ${SWEEP_LIMITS.maxRuns})`,
        'seeds',
      );
    for (const policies of parameterSets(cases))
      checkPolicies(this.runs.packs, scenario.pack, policies, 'TW_ERR_VALIDATION', 'body', ['policies']);
    const simDurationMs = req.duration === undefined ? undefined : parseDurationMs(req.duration);
    if (req.duration !== undefined && simDurationMs === undefined)
      throw new TickworkError(
        'TW_ERR_VALIDATION',
        `duration: like 20h, 90m or 30s (got '${req.duration}')`,
        'duration',
      );
    const sweep: HostedSweep = {
      id: randomBytes(6).toString('hex'),
      scenario: scenario.name,
      parallel: Math.min(req.parallel ?? DEFAULT_PARALLEL, cases.length),
      state: 'running',
      cells: cases.map((c) => ({ case: c })),
      running: new Set(),
    };
    this.sweeps.set(sweep.id, sweep);
    this.forgetOldSweeps();
    // Runs on its own; every run's failure is caught as that run's result, so this never rejects.
    void this.drive(sweep, { ...req, simDurationMs });
    return { sweepId: sweep.id, runs: cases.length };
  }

  /** Stops starting runs and stops the running ones (they end `stopped`, their verdict incomplete). */
  async stop(sweepId: string): Promise<void> {
    const sweep = this.sweeps.get(sweepId);
    if (!sweep) {
      this.view(sweepId); // unknown: 404; stored: not running here
      throw new TickworkError('TW_ERR_RUN_STATE', `sweep ${sweepId} is not running in this server`);
    }
    if (sweep.state !== 'running') throw new TickworkError('TW_ERR_RUN_STATE', `sweep ${sweepId} is ${sweep.state}`);
    sweep.state = 'stopped';
    await Promise.allSettled([...sweep.running].map((h) => this.runs.stop(h.run.id, `sweep ${sweepId} stopped`)));
  }

  /** A sweep hosted here, or one read from the store by its label. */
  view(sweepId: string) {
    const hosted = this.sweeps.get(sweepId);
    if (hosted) return this.viewOf(hosted.id, hosted.scenario, hosted.state, hosted.cells);
    const rows = this.store.listRuns(SWEEP_LIMITS.maxRuns, { label: sweepLabel(sweepId) });
    if (rows.length === 0) throw new TickworkError('TW_ERR_SWEEP_NOT_FOUND', `unknown sweep '${sweepId}'`, 'sweepId');
    const cells: Cell[] = rows.reverse().map((row) => {
      const { policies = {} } = JSON.parse(row.options_json) as { policies?: Record<string, unknown> };
      const c = { seed: row.seed, policies, params: paramsLabel(policies) };
      const summary = row.summary_json ? (JSON.parse(row.summary_json) as RunSummary) : undefined;
      return { case: c, runId: row.id, ...(summary ? { result: resultOf(c, summary) } : {}) };
    });
    const state: SweepState | 'stored' = cells.every((c) => c.result) ? 'completed' : 'stored';
    return this.viewOf(sweepId, rows[0].scenario, state, cells);
  }

  /** The sweeps hosted here, newest first. */
  list() {
    return [...this.sweeps.values()].reverse().map((s) => {
      const v = this.viewOf(s.id, s.scenario, s.state, s.cells);
      return {
        sweepId: v.sweepId,
        scenario: v.scenario,
        state: v.state,
        total: v.total,
        ended: v.ended,
        passed: v.passed,
      };
    });
  }

  private viewOf(sweepId: string, scenario: string, state: SweepState | 'stored', cells: readonly Cell[]) {
    const ended = cells.flatMap((c) => (c.result ? [c.result] : []));
    const runs: SweepCellView[] = cells.map((c) =>
      c.result
        ? resultJson(c.result)
        : { ...c.case, verdict: c.runId ? 'RUNNING' : 'PENDING', ...(c.runId ? { runId: c.runId } : {}) },
    );
    return {
      sweepId,
      scenario,
      state,
      total: cells.length,
      ended: ended.length,
      passed: ended.filter((r) => sweepVerdict(r) === 'PASSED').length,
      passRates: passRates(ended),
      runs,
    };
  }

  /** `parallel` lanes, each starting the next run when its last one ends. */
  private async drive(sweep: HostedSweep, req: DrivenRequest): Promise<void> {
    let next = 0;
    const lane = async () => {
      while (sweep.state === 'running' && !this.closing.aborted && next < sweep.cells.length) {
        const cell = sweep.cells[next++];
        cell.result = await this.runCell(sweep, cell, req);
      }
    };
    await Promise.all(Array.from({ length: sweep.parallel }, lane));
    if (sweep.state === 'running') sweep.state = next < sweep.cells.length ? 'stopped' : 'completed';
  }

  private async runCell(sweep: HostedSweep, cell: Cell, req: DrivenRequest): Promise<SweepResult> {
    const c = cell.case;
    let hosted: HostedRun;
    for (;;) {
      try {
        hosted = this.runs.start({
          scenario: req.scenario,
          seed: c.seed,
          policies: c.policies,
          pace: req.pace ?? 'turbo',
          workers: req.workers ?? 1,
          label: sweepLabel(sweep.id),
          ...(req.simDurationMs !== undefined ? { simDurationMs: req.simDurationMs } : {}),
        });
        break;
      } catch (err) {
        // The server is full: wait for any run to end (never a timer), then ask again.
        const full = err instanceof TickworkError && err.code === 'TW_ERR_CAPACITY' && this.runs.running().length > 0;
        if (!full) return { case: c, exitCode: 3, wallMs: 0, error: (err as Error).message };
        await new Promise<void>((resolve) => this.runs.lifecycle.once('ended', () => resolve()));
      }
    }
    cell.runId = hosted.run.id;
    sweep.running.add(hosted);
    try {
      return resultOf(c, await hosted.done);
    } catch (err) {
      return { case: c, exitCode: 3, wallMs: 0, error: (err as Error).message };
    } finally {
      sweep.running.delete(hosted);
    }
  }

  private forgetOldSweeps(): void {
    const ended = [...this.sweeps.values()].filter((s) => s.state !== 'running');
    for (const s of ended.slice(0, Math.max(0, ended.length - HOSTED_SWEEP_LIMITS.maxEnded))) this.sweeps.delete(s.id);
  }
}

/** The plan's parser speaks to a command line (TW_ERR_USAGE); over HTTP the same message is a validation error. */
function asValidation<T>(plan: () => T): T {
  try {
    return plan();
  } catch (err) {
    if (err instanceof TickworkError && err.code === 'TW_ERR_USAGE')
      throw new TickworkError('TW_ERR_VALIDATION', err.message, err.path);
    throw err;
  }
}

function resultOf(c: SweepCase, summary: RunSummary): SweepResult {
  return { case: c, summary, exitCode: summary.passed ? 0 : 1, wallMs: summary.wallMs ?? 0 };
}
