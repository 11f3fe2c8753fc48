// The run bus: what a run tells the world (store, SSE, prom-client, logs) after each barrier.
import { EventEmitter } from 'eventemitter3';
import type { TelemetryEvent } from './protocol.js';
import type { Violation } from './invariants/invariant-checker.js';
import type { OutsideInput } from './run/outside-input.js';

export interface TickEvent {
  runId: string;
  tick: number;
  simMs: number;
  steps: number;
  actors: number;
  messages: number;
  tickUs: number;
}

export interface RunLifecycleEvent {
  runId: string;
  status: string;
  simMs: number;
  digest?: string;
}

/** One closed metrics interval: what the dashboard charts and SSE clients plot over sim time. */
export interface IntervalEvent {
  runId: string;
  simMs: number;
  /** Counter increments within the interval. */
  counters: Record<string, number>;
  /** Histograms of the interval. */
  histograms: Record<string, { count: number; p50: number; p95: number; p99: number; max: number }>;
  /** Gauges as of the end of the interval. */
  gauges: Record<string, number>;
}

/** An outside input as applied, with the tick it took effect at (the input log, live). */
export interface InputEvent {
  runId: string;
  seq: number;
  tickMs: number;
  input: OutsideInput;
}

export interface BusEvents {
  tick: (e: TickEvent) => void;
  event: (e: TelemetryEvent & { runId: string }) => void;
  violation: (v: Violation & { runId: string }) => void;
  run: (e: RunLifecycleEvent) => void;
  interval: (e: IntervalEvent) => void;
  input: (e: InputEvent) => void;
}

export class RunBus extends EventEmitter<BusEvents> {}
