// The run bus: what a run tells the world (store, SSE, prom-client, logs) after each barrier.
import { EventEmitter } from 'eventemitter3';
import type { TelemetryEvent } from './protocol.js';
import type { Violation } from './invariants/invariant-checker.js';

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

export interface BusEvents {
  tick: (e: TickEvent) => void;
  event: (e: TelemetryEvent & { runId: string }) => void;
  violation: (v: Violation & { runId: string }) => void;
  run: (e: RunLifecycleEvent) => void;
}

export class RunBus extends EventEmitter<BusEvents> {}
