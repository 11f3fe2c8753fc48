// A NATS connection for a long-lived process (a pack's service, a fleet agent or sweep): it keeps
// reconnecting for as long as the process lives (the client's default gives up), so an outage
// pauses the work and loses nothing.
import { connect, type NatsConnection } from '@nats-io/transport-node';

export function connectNats(url: string, name: string): Promise<NatsConnection> {
  return connect({
    servers: url,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    waitOnFirstConnect: true,
    pingInterval: 5000,
    // The client otherwise builds two Error objects per request for their stack traces: a tenth
    // of a busy service's CPU at a few thousand publishes a second. Errors keep their messages.
    noAsyncTraces: true,
  });
}
