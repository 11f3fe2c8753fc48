// The executor that picks itself. A run that was not told `--workers N` starts inline and measures:
// worker threads only pay when a tick holds more work than a barrier costs (a cross-thread round
// trip is 35-55 µs on a small VM, plus the mail between partitions), and on a small world the
// default of N workers ran 2.7x slower than inline. So the run tries workers only when its ticks
// carry enough work, keeps them only if they beat the inline rate it measured, and otherwise
// goes back inline. A world changes over a long run (a city grows, a soak's load ramps), so a
// settled choice is re-checked: every `recheckWallMs` of wall time the run looks at its work per
// window again, tries workers again when it has grown past the bar and to `retrialGrowth` times
// what it was at the last decision, and goes back inline when workers hold less than half the
// bar. The choice changes nothing in the run's outcome: digests are equal with any executor.
// Decisions are taken at metrics-interval ends only, when the partitions hold no uncollected
// metrics, so nothing recorded is lost in a handover.

/** How the choice is measured; a run may override them (tests do, to force a trial). */
export interface ExecutorTrialSettings {
  /** Inline work per dispatch (a window of ticks: every partition's steps, µs) below which workers are not tried. */
  minWorkPerTickUs: number;
  /** Wall time each phase measures before a decision (taken at the next metrics-interval end). */
  trialWallMs: number;
  /** Ticks with steps each phase needs before a decision. */
  minTrialTicks: number;
  /**
   * Ticks with steps each phase runs before it measures: JIT warm-up (a fresh thread runs a busy
   * run's first ticks 5-10x slower) would otherwise count against whichever phase came second.
   */
  warmupTicks: number;
  /** Wall time between re-checks of a settled choice. */
  recheckWallMs: number;
  /** Workers are tried again only when the work per window has grown this many times since the last decision. */
  retrialGrowth: number;
}

export const EXECUTOR_TRIAL: ExecutorTrialSettings = {
  minWorkPerTickUs: 2_000,
  trialWallMs: 500,
  minTrialTicks: 20,
  warmupTicks: 20,
  recheckWallMs: 30_000,
  retrialGrowth: 2,
};

/** What a run chose and why: in its summary. */
export interface ExecutorChoice {
  /** `auto` when the run chose; `fixed` when `--workers` (or a server default) set it. */
  mode: 'auto' | 'fixed';
  /** Worker threads the run ends on (0: inline). */
  workers: number;
  /** Why, in a phrase that follows the choice ("inline (auto): <reason>"). */
  reason: string;
  /** Wall µs per actor step measured inline, and on workers when they were tried. */
  inlineUsPerStep?: number;
  workersUsPerStep?: number;
  /** Re-checks of a settled choice that moved the partitions (tried workers again, or went back inline). */
  rechecks?: number;
}

/** After a metrics-interval end: keep the executor, or hand the partitions over. */
export type ExecutorMove = 'stay' | 'to-workers' | 'to-inline';

interface Phase {
  ticks: number;
  steps: number;
  wallUs: number;
  workUs: number;
}

const emptyPhase = (): Phase => ({ ticks: 0, steps: 0, wallUs: 0, workUs: 0 });
const round = (x: number) => Math.round(x * 100) / 100;

function add(phase: Phase, wallUs: number, steps: number, workUs: number): void {
  phase.ticks++;
  phase.steps += steps;
  phase.wallUs += wallUs;
  phase.workUs += workUs;
}

export class ExecutorChooser {
  private phase: 'inline' | 'workers' | 'decided' = 'inline';
  private measuring = emptyPhase();
  private warmupLeft: number;
  private inline: Phase | undefined;
  private decision: ExecutorChoice;
  /** Once settled: what the run does since the last decision or re-check, and the work per window then. */
  private watching = emptyPhase();
  private settledWorkPerWindow = 0;
  private rechecks = 0;

  constructor(
    private readonly workers: number,
    private readonly settings: ExecutorTrialSettings = EXECUTOR_TRIAL,
  ) {
    this.decision = {
      mode: 'auto',
      workers: 0,
      reason: `so far: measuring its ticks (a decision after ${settings.trialWallMs} ms of wall time)`,
    };
    this.warmupLeft = settings.warmupTicks;
  }

  /** A choice stands (until a re-check reopens it). */
  get settled(): boolean {
    return this.phase === 'decided';
  }

  get choice(): ExecutorChoice {
    return this.decision;
  }

  /** One tick: its wall time (dispatch to barrier), its steps and the partitions' own work. */
  observe(wallUs: number, steps: number, workUs: number): void {
    if (steps === 0) return;
    if (this.phase === 'decided') return add(this.watching, wallUs, steps, workUs);
    if (this.warmupLeft > 0) {
      this.warmupLeft--;
      return;
    }
    add(this.measuring, wallUs, steps, workUs);
  }

  /** At a metrics-interval end. */
  decide(): ExecutorMove {
    if (this.phase === 'decided') return this.recheck();
    const m = this.measuring;
    if (m.ticks < this.settings.minTrialTicks || m.wallUs < this.settings.trialWallMs * 1000) return 'stay';
    const usPerStep = m.wallUs / m.steps;
    if (this.phase === 'inline') {
      const workPerTick = m.workUs / m.ticks;
      if (workPerTick < this.settings.minWorkPerTickUs) {
        this.settle(
          0,
          `${round(workPerTick)} µs of work per window, under the ${this.settings.minWorkPerTickUs} µs that pay for a barrier between threads`,
          usPerStep,
        );
        return 'stay';
      }
      return this.tryWorkers(m, `trying ${this.workers} workers: ${round(workPerTick)} µs of work per window inline`);
    }
    const inlineUsPerStep = this.inline!.wallUs / this.inline!.steps;
    const speedup = inlineUsPerStep / usPerStep;
    if (speedup > 1) {
      this.settle(this.workers, `${round(speedup)}x the inline rate measured first`, inlineUsPerStep, usPerStep);
      return 'stay';
    }
    this.settle(0, `${this.workers} workers ran at ${round(speedup)}x the inline rate`, inlineUsPerStep, usPerStep);
    return 'to-inline';
  }

  /** A settled choice, looked at again once `recheckWallMs` of wall time has passed since the last look. */
  private recheck(): ExecutorMove {
    const w = this.watching;
    if (w.wallUs < this.settings.recheckWallMs * 1000 || w.ticks < this.settings.minTrialTicks) return 'stay';
    this.watching = emptyPhase();
    const workPerWindow = w.workUs / w.ticks;
    const bar = this.settings.minWorkPerTickUs;
    if (this.decision.workers === 0) {
      const grown = workPerWindow >= bar && workPerWindow >= this.settledWorkPerWindow * this.settings.retrialGrowth;
      if (!grown) return 'stay';
      // The world grew: what inline does now is the rate workers must beat.
      this.rechecks++;
      return this.tryWorkers(
        w,
        `re-checked: work per window grew to ${round(workPerWindow)} µs; trying ${this.workers} workers`,
      );
    }
    if (workPerWindow >= bar / 2) return 'stay';
    this.rechecks++;
    this.settle(
      0,
      `re-checked: work per window fell to ${round(workPerWindow)} µs, under half the ${bar} µs that pay for a barrier`,
      w.wallUs / w.steps,
      this.decision.workersUsPerStep,
      workPerWindow,
    );
    return 'to-inline';
  }

  /** Move to the workers and measure them against `inline`, what the run just did inline. */
  private tryWorkers(inline: Phase, reason: string): ExecutorMove {
    this.inline = inline;
    this.phase = 'workers';
    this.measuring = emptyPhase();
    this.warmupLeft = this.settings.warmupTicks;
    this.decision = {
      mode: 'auto',
      workers: this.workers,
      reason,
      inlineUsPerStep: round(inline.wallUs / inline.steps),
      ...(this.rechecks > 0 ? { rechecks: this.rechecks } : {}),
    };
    return 'to-workers';
  }

  private settle(
    workers: number,
    reason: string,
    inlineUsPerStep: number,
    workersUsPerStep?: number,
    workPerWindow?: number,
  ): void {
    this.phase = 'decided';
    this.watching = emptyPhase();
    const inlinePhase = this.inline ?? this.measuring;
    this.settledWorkPerWindow = workPerWindow ?? inlinePhase.workUs / Math.max(1, inlinePhase.ticks);
    this.decision = {
      mode: 'auto',
      workers,
      reason,
      inlineUsPerStep: round(inlineUsPerStep),
      ...(workersUsPerStep !== undefined ? { workersUsPerStep: round(workersUsPerStep) } : {}),
      ...(this.rechecks > 0 ? { rechecks: this.rechecks } : {}),
    };
  }
}
