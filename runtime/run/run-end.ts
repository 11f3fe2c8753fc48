// The end of a run: final gate judgement, the duration it covered, its summary, and its final row in
// the store (a failed write leaves the last checkpoint standing, resumable).
import { runLookaheadMs } from '../partition/lookahead.js';
import { TickworkError } from '../errors.js';
import { wallNowMs } from '../pacing.js';
import type { RunStatus } from '../store/store.js';
import { buildSummary, type RunSummary, verdictOf } from './run-summary.js';
import { isOpenEnded } from '../scenario/scenario-schema.js';
import type { RunContext } from './run-context.js';
import { rampLoad } from './interval-close.js';
import { saveCheckpoint } from './checkpoints.js';

export async function finish(ctx: RunContext): Promise<RunSummary> {
  const s = ctx.state;
  if (s && ctx.status !== 'interrupted' && ctx.status !== 'failed') {
    for (const v of ctx.checker.evaluate(Math.max(0, s.lastTickMs), true))
      ctx.bus.emit('violation', { ...v, runId: ctx.id });
  }
  // A run that ran its course covered its duration; one that ended idle, only the time it ran.
  if (
    ctx.status === 'completed' &&
    !ctx.failFastViolation &&
    s &&
    !isOpenEnded(ctx.options.durationMs) &&
    !ctx.endedIdle
  ) {
    s.lastTickMs = Math.max(s.lastTickMs, ctx.options.durationMs);
  }
  if (s) ctx.breaking?.finish(Math.max(0, s.lastTickMs), rampLoad(ctx));
  const summary = runSummary(ctx);
  if (ctx.recorder && s) {
    try {
      if (ctx.status === 'interrupted' && ctx.interruptSnapshot) saveCheckpoint(ctx, ctx.interruptSnapshot);
      ctx.recorder.finished(ctx.status as RunStatus, ctx.checker.allViolations(), {
        digest: summary.digest,
        ticks: s.ticks,
        sim_ms: summary.simTimeMs,
        summary_json: JSON.stringify(summary),
        error: ctx.escalation ?? null,
      });
    } catch (err) {
      if (!(err instanceof TickworkError && err.code === 'TW_ERR_STORE')) throw err;
      // The row still says running, owned by this process: the next process to open the store
      // marks it interrupted, and this one's registry may resume it. The last checkpoint stands.
      ctx.log.error({ err }, "the run's final row could not be written; its last checkpoint stands");
    }
  }
  ctx.bus.emit('run', { runId: ctx.id, status: ctx.status, simMs: summary.simTimeMs, digest: summary.digest });
  ctx.log.info(
    { status: ctx.status, passed: summary.passed, verdicts: summary.verdicts, digest: summary.digest },
    `run ended: ${verdictOf(summary)}`,
  );
  return summary;
}

export function runSummary(ctx: RunContext): RunSummary {
  if (ctx.summaryCache && ctx.status !== 'running') return ctx.summaryCache;
  const s = ctx.state;
  const summary = buildSummary({
    runId: ctx.id,
    options: ctx.options,
    status: ctx.status,
    digest: ctx.digest.hex(),
    ticks: s?.ticks ?? 0,
    simTimeMs: s ? Math.max(0, s.lastTickMs) : 0,
    wallMs: wallNowMs() - ctx.startedWallMs,
    steps: s?.steps ?? 0,
    messages: s?.messages ?? 0,
    actors: s?.actors ?? 0,
    actorFailures: s?.actorFailures ?? 0,
    book: ctx.book,
    kpis: ctx.model?.kpis?.(ctx.book, { simMs: s ? Math.max(0, s.lastTickMs) : 0 }),
    checker: ctx.checker,
    error: ctx.escalation,
    errorCode: ctx.errorCode,
    breakingPoint: ctx.breaking?.report(),
    inputs: ctx.inputs.size,
    workerRecoveries: ctx.recoveries,
    executor: ctx.chooser?.choice ?? ctx.executorChoice,
    windows: ctx.model
      ? {
          lookaheadMs: runLookaheadMs(ctx.model.kinds, ctx.params),
          maxTicks: ctx.options.maxWindowTicks,
          barriers: ctx.book.counterValues()['runtime.barriers'] ?? 0,
        }
      : undefined,
  });
  if (ctx.status !== 'running' && ctx.status !== 'pending') ctx.summaryCache = summary;
  return summary;
}
