// The end-of-run summary: one object for humans (formatted by the CLI) and machines (--json,
// the HTTP summary endpoint). Field names are a contract.
import type { ErrorCode } from '../errors.js';
import type { Recovery } from '../invariants/chaos-judgement.js';
import type { BreakingPointReport } from '../invariants/breaking-point.js';
import type { InvariantChecker, InvariantVerdict, Violation } from '../invariants/invariant-checker.js';
import type { MetricBook } from '../metrics/metric-book.js';
import type { Summary } from '../metrics/histogram.js';
import type { RunOptions } from './run-options.js';
import type { ExecutorChoice } from '../pool/executor-chooser.js';
import { isOpenEnded } from '../scenario/scenario-schema.js';
import { formatDurationMs, parseDurationMs } from '../scenario/duration.js';

export interface RunSummary {
  runId: string;
  scenario: string;
  pack: string;
  seed: number;
  status: string;
  /** True when no critical invariant failed and the run did not fail. */
  passed: boolean;
  digest: string;
  ticks: number;
  simTimeMs: number;
  wallMs: number;
  options: { workers: number; partitions: number; pace: string | number; durationMs: number; failFast: boolean };
  steps: number;
  messages: number;
  actors: number;
  actorFailures: number;
  workerRecoveries: number;
  /** Where the partitions ran: inline or on worker threads, chosen by the run or asked for, and why. */
  executor?: ExecutorChoice;
  /**
   * Windows of ticks between barriers (window-plan.ts): the run's lookahead (the least
   * cross-partition delay its kinds declare), the most ticks a window may hold, and the barriers run.
   */
  windows?: WindowReport;
  inputs: number;
  invariants: InvariantVerdict[];
  /** How many gates passed, failed, were never judged, or cannot apply to this run. */
  verdicts: { pass: number; fail: number; notEvaluated: number; notApplicable: number };
  /** Every violation episode; `jq '.violations | length'` counts them, as the runbook's CI does. */
  violations: (Violation & { runId: string; seed: number })[];
  /** The same, split by severity: gate a CI on `violationCounts.critical`. */
  violationCounts: { critical: number; warning: number };
  /** Episodes counted in violationCounts but not listed: a gate kept at most MAX_EPISODES_PER_GATE. */
  violationsDropped?: { critical: number; warning: number };
  metrics: Record<string, Summary>;
  counters: Record<string, number>;
  gauges: Record<string, number>;
  /** The pack's domain KPIs (funnel, SLA, cache...), when the pack defines them. */
  kpis?: Record<string, unknown>;
  error?: string;
  /** Ramp scenarios: load per step, where each gate first failed, and the last step that held. */
  breakingPoint?: BreakingPointReport;
  /** Chaos scenarios: each storm and how long the system took to recover from it. */
  recoveries?: Recovery[];
  /** The code of the error that ended the run, when a tickwork error did (TW_ERR_STORE, TW_ERR_WORKER_LOST...). */
  errorCode?: ErrorCode;
  /**
   * The command that reproduces this run: `tickwork run ...` from the seed, or `tickwork replay <id>` once outside
   * inputs steered it.
   */
  reproduce: string;
}

export interface WindowReport {
  lookaheadMs: number;
  maxTicks: number;
  barriers: number;
}

export interface SummaryInput {
  runId: string;
  options: RunOptions;
  status: string;
  digest: string;
  ticks: number;
  simTimeMs: number;
  wallMs: number;
  steps: number;
  messages: number;
  actors: number;
  actorFailures: number;
  workerRecoveries: number;
  executor: ExecutorChoice | undefined;
  windows: WindowReport | undefined;
  inputs: number;
  book: MetricBook;
  kpis: Record<string, unknown> | undefined;
  checker: InvariantChecker;
  error: string | undefined;
  errorCode: ErrorCode | undefined;
  breakingPoint: BreakingPointReport | undefined;
}

export type RunVerdict = 'PASSED' | 'FAILED' | 'INCOMPLETE' | 'resumable';

/**
 * The one-word verdict people read beside the status. An interrupted run has none yet (it
 * resumes). A run stopped before its end is INCOMPLETE: its gates were judged on part of the run,
 * so neither a pass nor a miss of an unjudged gate means much; unless a critical gate had already
 * failed, which stays a FAILED run.
 */
export function verdictOf(s: Pick<RunSummary, 'status' | 'passed' | 'violationCounts'>): RunVerdict {
  if (s.status === 'interrupted') return 'resumable';
  if (s.status === 'stopped') return s.violationCounts.critical > 0 ? 'FAILED' : 'INCOMPLETE';
  return s.passed ? 'PASSED' : 'FAILED';
}

export function buildSummary(i: SummaryInput): RunSummary {
  const o = i.options;
  // Passed means judged and held: a critical gate that never had the data to judge is not a pass,
  // and an interrupted run has not been judged yet (it resumes).
  const passed =
    !i.checker.hasCriticalViolation() &&
    i.checker.unjudgedCritical().length === 0 &&
    i.status !== 'failed' &&
    i.status !== 'interrupted';
  const invariants = i.checker.verdicts();
  const count = (v: string) => invariants.filter((g) => g.verdict === v).length;
  return {
    runId: i.runId,
    scenario: o.scenario.name,
    pack: o.scenario.pack,
    seed: o.seed,
    status: i.status,
    passed,
    digest: i.digest,
    ticks: i.ticks,
    simTimeMs: i.simTimeMs,
    wallMs: Math.round(i.wallMs),
    options: {
      workers: o.workers,
      partitions: o.partitions,
      pace: o.pace,
      durationMs: o.durationMs,
      failFast: o.failFast,
    },
    steps: i.steps,
    messages: i.messages,
    actors: i.actors,
    actorFailures: i.actorFailures,
    workerRecoveries: i.workerRecoveries,
    ...(i.executor ? { executor: i.executor } : {}),
    ...(i.windows ? { windows: i.windows } : {}),
    inputs: i.inputs,
    invariants,
    verdicts: {
      pass: count('pass'),
      fail: count('fail'),
      notEvaluated: count('not-evaluated'),
      notApplicable: count('n/a'),
    },
    violations: i.checker.allViolations().map((v) => ({ ...v, runId: i.runId, seed: o.seed })),
    violationCounts: {
      critical:
        i.checker.allViolations().filter((v) => v.severity === 'critical').length +
        i.checker.droppedEpisodes().critical,
      warning:
        i.checker.allViolations().filter((v) => v.severity === 'warning').length + i.checker.droppedEpisodes().warning,
    },
    ...(i.checker.droppedEpisodes().critical + i.checker.droppedEpisodes().warning > 0
      ? { violationsDropped: i.checker.droppedEpisodes() }
      : {}),
    metrics: i.book.summaries(),
    counters: i.book.counterValues(),
    gauges: i.book.gaugeValues(),
    ...(i.kpis ? { kpis: i.kpis } : {}),
    ...(i.error ? { error: i.error } : {}),
    ...(i.errorCode ? { errorCode: i.errorCode } : {}),
    ...(i.breakingPoint ? { breakingPoint: i.breakingPoint } : {}),
    ...(i.checker.recoveries().length > 0 ? { recoveries: i.checker.recoveries() } : {}),
    // Outside inputs (steering, a stop, effect results) are not in the seed: only the log replays them.
    reproduce: i.inputs > 0 ? `npx tickwork replay ${i.runId}` : reproduceCommand(o),
  };
}

export function reproduceCommand(o: RunOptions): string {
  const parts = [
    'npx tickwork run',
    o.scenarioRef,
    `--seed ${o.seed}`,
    // A run that chose its executor reproduces with any: the digest is the same.
    ...(o.autoWorkers ? [] : [`--workers ${o.workers}`]),
    `--partitions ${o.partitions}`,
  ];
  parts.push(`--pace ${o.pace}`);
  for (const [name, value] of Object.entries(o.policies))
    parts.push(`--policy '${name}=${JSON.stringify(value).replace(/'/g, `'\\''`)}'`);
  for (const spec of o.eventFlags ?? []) parts.push(`--event '${spec.replace(/'/g, `'\\''`)}'`);
  if (!isOpenEnded(o.durationMs)) {
    // Readable where it round-trips exactly (`20h`), else to the millisecond.
    const readable = formatDurationMs(o.durationMs);
    parts.push(`--duration ${parseDurationMs(readable) === o.durationMs ? readable : `${o.durationMs}ms`}`);
  }
  if (o.failFast) parts.push('--fail-fast');
  return parts.join(' ');
}
