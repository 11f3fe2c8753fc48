// Closing a metrics interval: the partitions' metric deltas, reporters' gauges and audits' judgements
// into the metric book, the process's memory, the interval event for watchers, gate evaluation, the
// ramp's breaking point, and the interval's rows to the store.
import type { MetricBook } from '../metrics/metric-book.js';
import type { PartitionTickResult } from '../protocol.js';
import { memoryUsedPct } from '../metrics/memory.js';
import type { RunContext } from './run-context.js';

export function closeInterval(
  ctx: RunContext,
  t: number,
  deltas: Parameters<MetricBook['ingest']>[0],
  partitions: readonly PartitionTickResult[],
): void {
  const s = ctx.state;
  ctx.collectedAtMs = t;
  const intervalMs = ctx.options.scenario.metricsIntervalMin * 60_000;
  s.nextCollectAt = (Math.floor(t / intervalMs) + 1) * intervalMs;
  ctx.book.ingest(deltas);
  ctx.book.setGauges(
    ctx.reporters,
    partitions.map((r) => r.gauges ?? {}),
  );
  (ctx.model.audits ?? []).forEach((audit, i) => {
    const judged = audit.judge(
      partitions.map((r) => r.audits?.[i]),
      t,
    );
    for (const [name, value] of Object.entries(judged)) ctx.book.setGauge(name, value);
  });
  // Once per metrics interval (reading RSS costs ~80 µs): the memory trend needs a sample per
  // interval of sim time, however fast turbo runs through them.
  const rss = process.memoryUsage.rss();
  ctx.book.setGauge('runtime.memory_pct', memoryUsedPct(rss));
  // The whole process (workers' heaps included): its trend per sim day is the leak signal.
  ctx.book.setGauge('runtime.rss_mb', Math.round(rss / 1_048_576));
  ctx.book.closeInterval(t);
  // Building the view costs a summary per histogram: only when someone watches.
  if (ctx.bus.listenerCount('interval') > 0)
    ctx.bus.emit('interval', { runId: ctx.id, simMs: t, ...ctx.book.intervalView() });
  for (const v of ctx.checker.evaluate(t, false)) {
    ctx.bus.emit('violation', { ...v, runId: ctx.id });
    ctx.log.warn({ invariant: v.invariantId, observed: v.observed, threshold: v.threshold }, 'invariant violated');
    if (ctx.options.failFast && v.severity === 'critical') ctx.failFastViolation ??= v;
  }
  ctx.breaking?.interval(t, rampLoad(ctx), ctx.checker.failingCritical());
  ctx.recorder?.interval(t, ctx.book, ctx.checker, () => ({ ticks: ctx.state.ticks, digest: ctx.digest.hex() }));
}

/** The ramp's load counter, whole run. */
export function rampLoad(ctx: RunContext): number {
  return ctx.book.stat(ctx.options.scenario.ramp?.loadMetric ?? '', 'sum') ?? 0;
}
