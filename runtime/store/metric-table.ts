// The `run_metrics` and `run_violations` tables: closed metric intervals and gate violations,
// buffered and written in one transaction per flush (the hot path never waits on SQLite).
import type { Violation } from '../invariants/invariant-checker.js';
import type { MetricRow } from './store-rows.js';
import type { StoreFile } from './store-file.js';

export class MetricTable {
  private pendingMetrics: { runId: string; row: MetricRow }[] = [];
  private pendingViolations: { runId: string; v: Violation }[] = [];

  constructor(private readonly file: StoreFile) {}

  /** Rows waiting for the next flush. */
  get pendingRows(): number {
    return this.pendingMetrics.length + this.pendingViolations.length;
  }

  bufferMetric(runId: string, row: MetricRow): void {
    this.pendingMetrics.push({ runId, row });
  }

  bufferViolation(runId: string, v: Violation): void {
    this.pendingViolations.push({ runId, v: { ...v } });
  }

  /** Write everything buffered in one transaction. */
  flush(): void {
    if (this.pendingMetrics.length === 0 && this.pendingViolations.length === 0) return;
    const metric = this.file.statement(
      `INSERT OR REPLACE INTO run_metrics (run_id, sim_ms, name, kind, count, value, mean, p50, p90, p95, p99, p999, max, hdr)
       VALUES (@runId, @simMs, @name, @kind, @count, @value, @mean, @p50, @p90, @p95, @p99, @p999, @max, @hdr)`,
    );
    const violation = this.file.statement(
      `INSERT OR REPLACE INTO run_violations (run_id, invariant_id, from_sim_ms, to_sim_ms, severity, metric, statistic, operator, threshold, observed)
       VALUES (@runId, @invariantId, @fromSimMs, @toSimMs, @severity, @metric, @statistic, @operator, @threshold, @observed)`,
    );
    // The buffer is cleared only once its transaction committed: a failed flush loses nothing.
    this.file.write('metric and violation rows', () =>
      this.file.db.transaction(() => {
        for (const { runId, row } of this.pendingMetrics) {
          metric.run({
            count: null,
            value: null,
            mean: null,
            p50: null,
            p90: null,
            p95: null,
            p99: null,
            p999: null,
            max: null,
            hdr: null,
            ...row,
            runId,
          });
        }
        for (const { runId, v } of this.pendingViolations) violation.run({ ...v, runId });
      })(),
    );
    this.pendingMetrics = [];
    this.pendingViolations = [];
  }

  /** One statistic of one metric over a run's stored intervals, in sim-time order. */
  metricSeries(
    runId: string,
    name: string,
    statistic: 'count' | 'value' | 'mean' | 'p50' | 'p95' | 'p99' | 'max',
  ): { simMs: number; value: number }[] {
    this.flush();
    // `statistic` is one of a fixed set of column names, never user text.
    return this.file
      .statement(
        `SELECT sim_ms AS simMs, ${statistic} AS value FROM run_metrics WHERE run_id = ? AND name = ? AND ${statistic} IS NOT NULL ORDER BY sim_ms`,
      )
      .all(runId, name) as { simMs: number; value: number }[];
  }

  /**
   * A run's counters summed over its stored intervals: what a run that has no summary (killed
   * before it could write one) had flushed. Exact for runs whose intervals were not downsampled.
   */
  counterTotals(runId: string): Record<string, number> {
    this.flush();
    const rows = this.file
      .statement(
        `SELECT name, SUM(value) AS total FROM run_metrics WHERE run_id = ? AND kind = 'counter' GROUP BY name ORDER BY name`,
      )
      .all(runId) as { name: string; total: number }[];
    return Object.fromEntries(rows.map((r) => [r.name, r.total]));
  }

  /** Metric rows older than `beforeSimMs` keep only those on a multiple of `everyMs`. */
  downsampleMetrics(runId: string, beforeSimMs: number, everyMs: number): void {
    return this.file.write('a metric downsampling', () => {
      this.flush();
      this.file
        .statement('DELETE FROM run_metrics WHERE run_id = ? AND sim_ms < ? AND sim_ms % ? != 0')
        .run(runId, beforeSimMs, everyMs);
    });
  }

  violations(runId: string): Violation[] {
    return (
      this.file
        .statement('SELECT * FROM run_violations WHERE run_id = ? ORDER BY from_sim_ms, invariant_id')
        .all(runId) as Record<string, unknown>[]
    ).map((r) => ({
      invariantId: r.invariant_id as string,
      severity: r.severity as Violation['severity'],
      metric: r.metric as string,
      statistic: r.statistic as string,
      operator: r.operator as string,
      threshold: r.threshold as number,
      observed: r.observed as number,
      fromSimMs: r.from_sim_ms as number,
      toSimMs: r.to_sim_ms as number,
    }));
  }
}
