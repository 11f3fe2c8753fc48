// What /healthz reports, as the running source sees it. One service per process: the source of
// the running exec/service run updates it; the service's routes read it.
import { wallNowMs } from '../../../runtime/sdk.js';

export type NatsStatus = 'connected' | 'degraded' | 'disconnected';
export type ProcessorStatus = 'active' | 'degraded' | 'stopped';

export interface ServiceStatus {
  nats: NatsStatus;
  processor: ProcessorStatus;
  pendingEvents: number;
  maintenance: boolean;
  /** The outbox holds EXEC_SIM_OUTBOX_MAX events: pulling is paused, /healthz is not ok. */
  outboxFull?: boolean;
  /** Events JetStream refused for what they are, set aside (not ok while any). */
  parkedEvents?: number;
  /** What needs a person though the processor runs (parked events, a second service run): not ok. */
  alarms?: string[];
  /** Why the processor is not active, in words. */
  note?: string;
  runId?: string;
}

const startedMs = wallNowMs();
let current: (() => ServiceStatus) | undefined;

/** The source of a running service registers how to read its state; undefined when it stops. */
export function reportStatus(reader: (() => ServiceStatus) | undefined): void {
  current = reader;
}

export function serviceStatus(): ServiceStatus {
  return (
    current?.() ?? {
      nats: 'disconnected',
      processor: 'stopped',
      pendingEvents: 0,
      maintenance: false,
      note: 'no exec/service run in this process',
    }
  );
}

export function uptimeSeconds(): number {
  return Math.round((wallNowMs() - startedMs) / 1000);
}
