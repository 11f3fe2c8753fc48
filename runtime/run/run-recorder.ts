// Everything a live run writes to its store, in one place: the run row, the input log as it
// grows, metric intervals and violations (buffered, flushed once per wall second or per full
// buffer, since a turbo run closes thousands of intervals a second), checkpoints, a service run's
// compaction, and the final row. Replays and store-less runs have no recorder.
//
// Called directly by the scheduler rather than from the bus: the bus builds its interval view
// (a summary per histogram) only when someone listens, while the store wants the raw histograms.
import { SERVICE_RUN_RETENTION } from '../limits.js';
import type { InvariantChecker, Violation } from '../invariants/invariant-checker.js';
import { TickworkError } from '../errors.js';
import { summarize } from '../metrics/histogram.js';
import type { MetricBook } from '../metrics/metric-book.js';
import { wallNowMs } from '../pacing.js';
import type { CheckpointRow, RunRow, RunStatus, Store } from '../store/store.js';
import type { LoggedInput } from './outside-input.js';

/** When buffered metric rows are written to the store. */
const STORE_FLUSH = { everyMs: 1000, maxRows: 5000 };

export class RunRecorder {
  private lastFlushWallMs = 0;
  /** The final row is written. */
  private ended = false;
  /** Another process took the run over (this one's lease ran out): nothing more is written. */
  private lost = false;
  private leaseTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly runId: string,
  ) {}

  created(row: Omit<Parameters<Store['createRun']>[0], 'id'>): void {
    this.store.createRun({ ...row, id: this.runId });
  }

  /** A tick's live inputs, written together. */
  inputs(logged: readonly LoggedInput[]): void {
    if (this.lost)
      throw new TickworkError('TW_ERR_RUN_STATE', `run ${this.runId} belongs to another process now; input not logged`);
    this.store.appendInputs(
      this.runId,
      logged.map((l) => ({ seq: l.seq, tickMs: l.tickMs, kind: l.input.kind, payload: l.input })),
    );
  }

  /** A closed metrics interval ending at `simMs`, and the violations that closed with it. */
  interval(
    simMs: number,
    book: MetricBook,
    checker: InvariantChecker,
    progress: () => Pick<RunRow, 'ticks' | 'digest'>,
  ): void {
    const { store, runId } = this;
    if (this.lost) return;
    const last = book.lastInterval();
    if (last) {
      for (const [name, h] of last.histograms) {
        if (h.totalCount === 0) continue;
        const { min: _min, ...stats } = summarize(h);
        store.bufferMetric(runId, { simMs, name, kind: 'histogram', ...stats });
      }
      for (const [name, n] of last.counters) store.bufferMetric(runId, { simMs, name, kind: 'counter', value: n });
    }
    for (const [name, value] of Object.entries(book.gaugeValues()))
      store.bufferMetric(runId, { simMs, name, kind: 'gauge', value });
    for (const v of checker.allViolations()) if (v.toSimMs === simMs) store.bufferViolation(runId, v);
    const now = wallNowMs();
    if (store.pendingRows < STORE_FLUSH.maxRows && now - this.lastFlushWallMs < STORE_FLUSH.everyMs) return;
    this.lastFlushWallMs = now;
    store.flush();
    store.updateRun(runId, { ...progress(), sim_ms: simMs });
  }

  /**
   * Keep the run's lease while it runs (see run-owner.ts). `onLost` is called once if another
   * process has taken the run over meanwhile: from then on this recorder writes nothing.
   */
  holdLease(onLost: () => void, log: { warn(o: object, msg: string): void }): void {
    this.leaseTimer = setInterval(() => {
      let held: boolean;
      try {
        held = this.store.renewLease(this.runId);
      } catch (err) {
        // A store fault: the lease runs on; the next renewal tries again.
        log.warn({ err: (err as Error).message }, 'could not renew the run lease');
        return;
      }
      if (held) return;
      this.releaseLease();
      this.lost = true;
      onLost();
    }, this.store.leaseRenewEveryMs).unref();
  }

  releaseLease(): void {
    clearInterval(this.leaseTimer);
  }

  checkpoint(cp: CheckpointRow): void {
    if (this.lost) return;
    this.store.saveCheckpoint(this.runId, cp);
  }

  /** A service run's bounds: drop inputs behind the older kept checkpoint, thin old metric rows. */
  compact(olderCheckpointMs: number, nowSimMs: number): void {
    if (this.lost) return;
    this.store.compactInputs(this.runId, olderCheckpointMs);
    for (const tier of SERVICE_RUN_RETENTION)
      this.store.downsampleMetrics(this.runId, nowSimMs - tier.olderThanMs, tier.keepEveryMs);
  }

  /**
   * The process exits now, mid-run (a second Ctrl-C): the row says interrupted, so the run resumes
   * from its last checkpoint instead of looking alive. Synchronous, as the exit is.
   */
  abandoned(): void {
    if (this.ended || this.lost) return;
    this.store.updateRun(this.runId, {
      status: 'interrupted',
      error: 'the process exited at once on a second signal; resumes from its last checkpoint',
    });
  }

  finished(
    status: RunStatus,
    violations: readonly Violation[],
    fields: Pick<RunRow, 'digest' | 'ticks' | 'sim_ms' | 'summary_json' | 'error'>,
  ): void {
    this.releaseLease();
    if (this.lost) return;
    for (const v of violations) this.store.bufferViolation(this.runId, v);
    this.store.flush();
    this.store.updateRun(this.runId, { status, ...fields });
    this.ended = true;
  }
}
