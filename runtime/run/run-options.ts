// Options of one run, with their defaults in one place. Validated at the edge (CLI flags, HTTP
// bodies); the scheduler trusts them.
import { RUN_LIMITS } from '../limits.js';
import { availableParallelism } from 'node:os';
import type { Pace } from '../pacing.js';
import type { ExecutorTrialSettings } from '../pool/executor-chooser.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import { scenarioDefaultPace, scenarioDurationMs } from '../scenario/scenario-schema.js';

export interface RunOptions {
  /** The scenario name or path, as the user gave it (for the reproduce command). */
  scenarioRef: string;
  scenario: Scenario;
  seed: number;
  /** Worker threads: the count when fixed, the most the run may use when it chooses. */
  workers: number;
  /**
   * The run chooses between inline and `workers` threads by measuring its ticks (runtime/pool/
   * executor-chooser.ts): the default when no worker count was asked for.
   */
  autoWorkers: boolean;
  /** How the choice is measured (tests force a trial with these). */
  executorTrial?: Partial<ExecutorTrialSettings>;
  partitions: number;
  pace: Pace;
  durationMs: number;
  failFast: boolean;
  /** Policy overrides on top of the scenario's policies. */
  policies: Record<string, unknown>;
  /**
   * The most ticks one dispatch may run (window-plan.ts); the run's lookahead bounds it too. 1 puts
   * a barrier at every tick. Any value gives the same digest.
   */
  maxWindowTicks: number;
  /** `--event` specs as typed (already among the scenario's events): the reproduce command repeats them. */
  eventFlags: string[];
}

export const RUN_DEFAULTS = {
  /**
   * One worker per core, at most 4 (partitions are memory-bound past that on small hosts): the
   * count `--workers` defaults to, and the most a run that chooses may use.
   */
  workers: Math.min(4, availableParallelism()),
  /** Worker deaths a run recovers from before it gives up. */
  maxWorkerRecoveries: RUN_LIMITS.maxWorkerRecoveries,
  /** How long an interrupt waits for the tick in flight before ending it and its workers. */
  interruptGraceMs: RUN_LIMITS.interruptGraceMs,
  /** Ticks per window at most, when the lookahead allows more: bounds a dispatch's work and a live input's wait. */
  maxWindowTicks: 1000,
};

export function resolveRunOptions(
  scenarioRef: string,
  scenario: Scenario,
  given: Partial<Omit<RunOptions, 'scenario' | 'scenarioRef'>> & { seed: number },
): RunOptions {
  return {
    scenarioRef,
    scenario,
    seed: given.seed,
    workers: given.workers ?? RUN_DEFAULTS.workers,
    autoWorkers: given.autoWorkers ?? given.workers === undefined,
    ...(given.executorTrial ? { executorTrial: given.executorTrial } : {}),
    partitions: given.partitions ?? scenario.partitions,
    pace: given.pace ?? scenarioDefaultPace(scenario) ?? 'turbo',
    durationMs: given.durationMs ?? scenarioDurationMs(scenario),
    failFast: given.failFast ?? false,
    policies: given.policies ?? {},
    eventFlags: given.eventFlags ?? [],
    maxWindowTicks: given.maxWindowTicks ?? RUN_DEFAULTS.maxWindowTicks,
  };
}
