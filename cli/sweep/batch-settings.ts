// What every run of a batch (`sweep`, `hunt`) shares: the scenario, pace, workers, duration and
// store, checked once before the first run, and the `tickwork run` arguments that carry them.
import { availableParallelism } from 'node:os';
import { flag } from '../../runtime/edge/command-flags.js';
import { usageError } from '../../runtime/edge/exit-codes.js';
import { formatDurationMs } from '../../runtime/scenario/duration.js';
import { loadScenario } from '../../runtime/scenario/scenario-loader.js';
import { isOpenEnded, type Scenario, scenarioDurationMs } from '../../runtime/scenario/scenario-schema.js';
import { resolveDbPath, Store } from '../../runtime/store/store.js';
import type { CliContext } from '../cli-context.js';

/** The help lines for the flags `batchSettings` reads. */
export const BATCH_FLAGS_HELP = `  --parallel N           runs at once (default: the cores, ${availableParallelism()} here)
  --pace turbo|R         each run's pace (default: turbo)
  --workers N            worker threads per run (default 0: the parallelism is the runs)
  --duration D           sim duration of each run (default: the scenario's)
  --db PATH              SQLite store (default: $TICKWORK_DB or ./data/tickwork.db)`;

export const BATCH_FLAGS = {
  parallel: { type: 'string' },
  pace: { type: 'string' },
  workers: { type: 'string' },
  duration: { type: 'string' },
  db: { type: 'string' },
} as const;

/** What each run of a batch is given (a fleet job carries these). */
export interface RunSettings {
  pace: string;
  workers: string;
  duration?: string;
}

/** The `tickwork run` arguments of one batch run but its seed and policies: local and on a fleet agent alike. */
export function runArgs(scenarioRef: string, db: string, label: string, s: RunSettings): string[] {
  const args = ['run', scenarioRef, '--json', '--db', db, '--label', label, '--pace', s.pace, '--workers', s.workers];
  if (s.duration) args.push('--duration', s.duration);
  return args;
}

export interface BatchSettings {
  scenario: Scenario;
  parallel: number;
  db: string;
  /** `tickwork run` arguments for every run but its seed and policies. */
  baseArgs: string[];
  runSettings: RunSettings;
  /** One line for the start of the batch: how many at once, and what every run will be. */
  describe: string;
  /** The same without the runs at once (a fleet's agents decide those). */
  describeRuns: string;
}

export function batchSettings(
  ctx: CliContext,
  scenarioRef: string,
  values: { parallel?: string; pace?: string; workers?: string; duration?: string; db?: string },
  label: string,
  /** Checks of the batch's own (its policies, say), before the store is touched. */
  check: (scenario: Scenario) => void = () => {},
): BatchSettings {
  const scenario = loadScenario(ctx.packs, scenarioRef);
  const parallel = flag('parallel', values.parallel) ?? availableParallelism();
  const pace = values.pace ?? 'turbo';
  flag('pace', pace);
  const workers = values.workers ?? '0';
  flag('workers', workers);
  const durationMs = flag('duration', values.duration) ?? scenarioDurationMs(scenario);
  if (isOpenEnded(durationMs))
    throw usageError('an open-ended scenario never ends: give each run a --duration', 'duration');
  check(scenario);
  const db = resolveDbPath(values.db);
  // Created and migrated here, once: runs starting at the same instant on a new file would race to.
  new Store(db, ctx.packs.migrationSets()).close();
  const runSettings: RunSettings = { pace, workers, ...(values.duration ? { duration: values.duration } : {}) };
  const describeRuns = `pace=${pace}  workers=${workers} per run  duration=${formatDurationMs(durationMs)}  db=${db}`;
  return {
    scenario,
    parallel,
    db,
    baseArgs: runArgs(scenarioRef, db, label, runSettings),
    runSettings,
    describe: `parallel=${parallel}  ${describeRuns}`,
    describeRuns,
  };
}
