// A pack's model: what a run computes. Its actor kinds, how a partition is populated at the start of
// a run, the reporters and audits that measure partition state for invariants, and its KPIs. Loaded
// by URL wherever partitions live (each worker thread, or the main thread for an inline run).
import type { ActorId, ActorKind, SimMs } from '../actor/types.js';
import type { InvariantSpec } from '../scenario/scenario-schema.js';
import type { Message } from '../partition/message.js';

export interface PackSetupContext {
  readonly partition: number;
  readonly partitions: number;
  readonly seed: number;
  spawn(kind: string, args?: unknown): ActorId;
  param<T = unknown>(name: string): T;
}

/** Read-only view of a partition, for reporters. */
export interface PartitionView {
  forEachActor(fn: (kind: string, state: unknown, id: ActorId) => void): void;
  /** Messages sent but not yet delivered that this partition holds (its mailbox and outbox). */
  forEachInFlight(fn: (m: Message) => void): void;
}

/** A gauge measured from state on every metrics interval, combined across partitions. */
export interface Reporter {
  readonly metric: string;
  readonly combine: 'sum' | 'min' | 'max';
  measure(view: PartitionView): number;
}

/**
 * A cross-partition check: each partition collects a compact part from its state (in the worker),
 * the main thread joins the parts in partition order into gauges. For facts no single partition
 * can judge, such as two customers in different partitions holding the same vendor slot.
 */
export interface Audit<Part = unknown> {
  /** Gauge names `judge` returns. */
  readonly metrics: readonly string[];
  collect(view: PartitionView, now: SimMs): Part;
  judge(parts: readonly Part[], now: SimMs): Record<string, number>;
}

/** Read access to a run's metrics, for pack KPIs. */
export interface MetricReader {
  stat(
    metric: string,
    statistic: 'count' | 'min' | 'mean' | 'p50' | 'p90' | 'p95' | 'p99' | 'p999' | 'max' | 'sum' | 'value',
    windowMs?: number,
  ): number | undefined;
}

export interface PackModel {
  readonly name: string;
  readonly description: string;
  readonly kinds: readonly ActorKind[];
  /** Populate one partition; runs once per partition at the start of a fresh run. */
  setup(ctx: PackSetupContext): void;
  readonly reporters?: readonly Reporter[];
  readonly audits?: readonly Audit[];
  /** Domain KPIs for the run summary, computed from the metric book; `simMs` is the sim time run so far (for rates). */
  kpis?(metrics: MetricReader, run: { simMs: number }): Record<string, unknown>;
}

/** Invariants a scenario may name by id alone (`"invariants": ["api_error_rate"]`). */
export type InvariantCatalogue = Readonly<Record<string, Omit<InvariantSpec, 'id'>>>;
