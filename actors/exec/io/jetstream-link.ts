// The service's JetStream resources, created or bound at start as runbook 003 names them: stream
// `trading-events` over `decisions.order_intent` and `executions.>`, with a duplicate window long
// enough to drop a fill re-published after an outage or a crash, and the durable pull consumer
// `exec-sim-consumer` with explicit acks and a bounded number in flight.
import { AckPolicy, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { connectNats } from '../../../runtime/sdk.js';

export const STREAM = 'trading-events';
export const DURABLE = 'exec-sim-consumer';
export const STREAM_SUBJECTS = ['decisions.order_intent', 'executions.>'];

export { connectNats };

export async function ensureStream(jsm: JetStreamManager, duplicateWindowSec: number): Promise<void> {
  const config = { name: STREAM, subjects: STREAM_SUBJECTS, duplicate_window: nanos(duplicateWindowSec * 1000) };
  try {
    const info = await jsm.streams.info(STREAM);
    // Bind to what is there; widen its duplicate window if it is shorter than ours.
    if (info.config.duplicate_window < config.duplicate_window)
      await jsm.streams.update(STREAM, { ...info.config, duplicate_window: config.duplicate_window });
  } catch {
    await jsm.streams.add(config);
  }
}

export async function ensureConsumer(jsm: JetStreamManager, maxAckPending: number, ackWaitSec: number): Promise<void> {
  try {
    await jsm.consumers.info(STREAM, DURABLE);
  } catch {
    await jsm.consumers.add(STREAM, {
      durable_name: DURABLE,
      ack_policy: AckPolicy.Explicit,
      filter_subject: 'decisions.order_intent',
      max_ack_pending: maxAckPending,
      // An intent not acknowledged in time (its instance was killed) is delivered again.
      ack_wait: nanos(ackWaitSec * 1000),
    });
  }
}

export async function manager(nc: NatsConnection): Promise<JetStreamManager> {
  return jetstreamManager(nc);
}
