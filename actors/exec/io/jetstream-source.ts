// The service's input source: intents pulled from the durable consumer go into the run, each
// acknowledged only once it is durably in the run's input log (the platform's source contract),
// and every event the run emits goes into the outbox, from which it is published with its message
// id (JetStream drops a duplicate within the stream's duplicate window). A NATS outage stops the
// pulling (nothing to pull) while the run goes on and its events wait in the outbox; reconnected,
// the outbox drains in order and pulling resumes. A full outbox or maintenance mode stops the
// pulling too: the service never drops an event to make room.
import type { JetStreamClient, Consumer } from '@nats-io/jetstream';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { type InputSource, interruptibleSleep, type SourceContext } from '../../../runtime/sdk.js';
import { admitPayload, EXCERPT_CHARS } from '../domain/order-intent.js';
import { EVENTS, type ExecMessage, SUBJECTS } from '../sim/messages.js';
import { connectNats, DURABLE, ensureConsumer, ensureStream, manager, STREAM } from './jetstream-link.js';
import { flipOnReloadSignal } from './maintenance.js';
import { Outbox, type OutboxEvent } from '../store/outbox.js';
import type { ServiceConfig } from '../config/service-config.js';
import { EXEC_METRICS } from '../http/service-metrics.js';
import { reportStatus, type NatsStatus, type ProcessorStatus, type ServiceStatus } from './service-state.js';

const PUBLISHED = new Set<string>([SUBJECTS.fill, SUBJECTS.reconcile, SUBJECTS.deadLetter]);
const FETCH_BATCH = 256;
/** Publish errors about the connection or the server's state: never held against one event. */
const TRANSIENT = /timeout|timed out|disconnect|closed|draining|reconnect|no responders|503|connection/i;
/** Publish errors about the event itself. */
const ROW_SPECIFIC = /exceeds maximum allowed|max_payload|payload size|maximum payload|invalid header|bad header/i;
const PUBLISH_WINDOW = 256;

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class JetStreamSource implements InputSource {
  readonly name = 'jetstream';
  private nc: NatsConnection | undefined;
  private js: JetStreamClient | undefined;
  private consumer: Consumer | undefined;
  private connected = false;
  private stopped = false;
  private publishFailing = false;
  private unlogged = 0;
  private readonly outbox: Outbox;
  /** The tick's events to publish, written to the outbox as the tick ends. */
  private tickEvents: OutboxEvent[] = [];
  /** One per loop: a sleep holds one waker. */
  private readonly wakers = {
    connect: {} as { wake?: () => void },
    pull: {} as { wake?: () => void },
    publish: {} as { wake?: () => void },
  };
  private workLoops: Promise<void>[] = [];
  private stopSignal: (() => void) | undefined;

  constructor(
    private readonly run: SourceContext,
    private readonly config: ServiceConfig,
    /** Maintenance mode, read on every pull (a reload signal flips it). */
    private readonly maintenance: () => boolean,
  ) {
    if (!run.tables) throw new Error('the exec service needs a store (its outbox is a table in it)');
    this.outbox = new Outbox(run.tables);
  }

  start(): void {
    this.stopSignal = flipOnReloadSignal(this.run.log);
    this.run.onEvent((e) => this.onEvent(e.type, e.data as Record<string, unknown>));
    this.run.onTickEnd(() => this.onTickEnd());
    reportStatus(() => this.status());
    void this.connectLoop();
    this.workLoops = [this.pullLoop(), this.publishLoop()];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopSignal?.();
    this.wakeAll();
    reportStatus(undefined);
    // A fetch waits at most a second and the publisher finishes its window; then the connection
    // closes (the connect loop sees `stopped` and ends with it).
    await Promise.allSettled(this.workLoops);
    await this.nc?.drain().catch(() => this.nc?.close());
  }

  private wakeAll(): void {
    for (const w of Object.values(this.wakers)) w.wake?.();
  }

  status(): ServiceStatus {
    const pending = this.outbox.size;
    const parked = this.outbox.parkedCount;
    const others = this.run.otherLiveRuns();
    EXEC_METRICS.pendingEvents.set(pending);
    EXEC_METRICS.parkedEvents.set(parked);
    const maintenance = this.maintenance();
    // A few events between their tick and their PubAck are the normal flow; more than a publish
    // window is a backlog (draining after an outage) or publishes failing.
    const backlog = pending > PUBLISH_WINDOW;
    const nats: NatsStatus = !this.connected
      ? 'disconnected'
      : this.publishFailing || backlog
        ? 'degraded'
        : 'connected';
    let processor: ProcessorStatus = 'active';
    let note: string | undefined;
    if (!this.connected) [processor, note] = ['stopped', 'NATS unreachable: events wait in the outbox'];
    else if (maintenance) [processor, note] = ['stopped', 'maintenance mode: not taking new intents'];
    else if (pending >= this.config.outboxMax)
      [processor, note] = [
        'stopped',
        `outbox full (${pending} of ${this.config.outboxMax}): pulling paused until it drains`,
      ];
    else if (backlog) [processor, note] = ['degraded', `draining the outbox (${pending} events)`];
    // Alarms that do not stop the processor but need a person.
    const alarms = [
      ...(parked > 0
        ? [
            `${parked} event(s) parked: JetStream refuses them (tickwork exec parked lists them; --retry sends them again)`,
          ]
        : []),
      ...(others.length > 0
        ? [
            `another exec/service run is marked running in this store (${others.join(', ')}): two services must not share one store`,
          ]
        : []),
    ];
    const outboxFull = pending >= this.config.outboxMax;
    return {
      nats,
      processor,
      pendingEvents: pending,
      maintenance,
      outboxFull,
      parkedEvents: parked,
      alarms,
      ...(note ? { note } : {}),
      runId: this.run.runId,
    };
  }

  private onEvent(type: string, data: Record<string, unknown>): void {
    if (type === EVENTS.accepted) EXEC_METRICS.ordersReceived.inc({ status: 'success' });
    else if (type === EVENTS.duplicate) EXEC_METRICS.ordersReceived.inc({ status: 'duplicate' });
    if (PUBLISHED.has(type)) this.tickEvents.push({ msgId: String(data.msg_id), subject: type, payload: data });
  }

  /** The tick's events go into the outbox together, before the tick's checkpoint. */
  private onTickEnd(): void {
    if (this.tickEvents.length === 0) return;
    const events = this.tickEvents;
    this.tickEvents = [];
    const added = this.outbox.addAll(events);
    events.forEach(({ subject, payload }, i) => {
      // Counted once: an event emitted again after a resume is already in the outbox.
      if (!added[i]) return;
      const data = payload as Record<string, unknown>;
      if (subject === SUBJECTS.fill) EXEC_METRICS.fillsGenerated.inc({ fill_type: String(data.fill_type) });
      else if (subject === SUBJECTS.reconcile) {
        EXEC_METRICS.simulationResults.inc({ result: String(data.status) });
        EXEC_METRICS.simulationDuration.observe(Number(data.latency_ms) / 1000);
      } else {
        EXEC_METRICS.ordersReceived.inc({ status: 'invalid' });
        EXEC_METRICS.validationErrors.inc({ reason: String(data.reason) });
      }
    });
    this.wakers.publish.wake?.();
  }

  private async connectLoop(): Promise<void> {
    while (!this.stopped) {
      try {
        this.nc = await connectNats(this.config.natsUrl, `tickwork-exec ${this.run.runId}`);
        if (this.stopped) return void (await this.nc.close());
        const jsm = await manager(this.nc);
        await ensureStream(jsm, this.config.duplicateWindowSec);
        await ensureConsumer(jsm, this.config.maxAckPending, this.config.ackWaitSec);
        this.js = jetstream(this.nc);
        this.consumer = await this.js.consumers.get(STREAM, DURABLE);
        this.connected = true;
        this.run.log.info({ nats: this.config.natsUrl, stream: STREAM, consumer: DURABLE }, 'connected to JetStream');
        this.wakeAll();
        for await (const s of this.nc.status()) {
          if (s.type === 'disconnect' || s.type === 'reconnecting') {
            if (this.connected)
              this.run.log.warn(
                { nats: this.config.natsUrl },
                'NATS disconnected: pulling stops, events wait in the outbox',
              );
            this.connected = false;
          } else if (s.type === 'reconnect') {
            this.connected = true;
            this.run.log.info({ pending: this.outbox.size }, 'NATS reconnected: draining the outbox');
            this.wakeAll();
          }
        }
        return; // the connection closed (stop)
      } catch (err) {
        this.connected = false;
        if (this.stopped) return;
        this.run.log.warn({ err: (err as Error).message }, 'cannot reach JetStream; retrying');
        await interruptibleSleep(500, this.wakers.connect);
      }
    }
  }

  private async pullLoop(): Promise<void> {
    while (!this.stopped) {
      const consumer = this.consumer;
      if (!this.connected || !consumer || this.maintenance() || this.outbox.size >= this.config.outboxMax) {
        await interruptibleSleep(200, this.wakers.pull);
        continue;
      }
      // Intents on their way into the input log: bounded like the consumer's max_ack_pending.
      if (this.unlogged >= this.config.maxAckPending) {
        await interruptibleSleep(5, this.wakers.pull);
        continue;
      }
      try {
        const batch = await consumer.fetch({
          max_messages: Math.min(FETCH_BATCH, this.config.maxAckPending - this.unlogged),
          expires: 1000,
        });
        for await (const m of batch) {
          // Bounded before anything reads it: what a publisher sends can be refused, never stop the run.
          const text = m.string();
          const admitted = admitPayload(text);
          const { raw } = admitted;
          const intentId =
            raw && typeof raw === 'object' && typeof (raw as { intent_id?: unknown }).intent_id === 'string'
              ? (raw as { intent_id: string }).intent_id
              : `nats-${m.seq}`;
          const body: ExecMessage = {
            op: 'intent',
            raw,
            seq: m.seq,
            ...('refused' in admitted ? { refused: admitted.refused } : {}),
            ...(raw === undefined && !('refused' in admitted) ? { excerpt: text.slice(0, EXCERPT_CHARS) } : {}),
          };
          this.unlogged++;
          // Acknowledged once logged; the next fetch does not wait for it (the tick that logs it is ~10 ms away).
          void this.run
            .submit({ kind: 'message', to: { name: intentId }, body })
            .then(
              () => m.ack(),
              // The run ended before it took the intent: JetStream delivers it again.
              () => m.nak(),
            )
            .finally(() => {
              this.unlogged--;
              this.wakers.pull.wake?.();
            });
        }
      } catch (err) {
        if (!this.stopped) this.run.log.debug({ err: (err as Error).message }, 'fetch failed');
        await interruptibleSleep(200, this.wakers.pull);
      }
    }
  }

  private async publishLoop(): Promise<void> {
    while (!this.stopped) {
      const js = this.js;
      const rows = this.connected && js ? this.outbox.peek(PUBLISH_WINDOW) : [];
      if (rows.length === 0) {
        await interruptibleSleep(200, this.wakers.publish);
        continue;
      }
      // A window in flight at once, on one connection. Every acknowledged row leaves (the stream
      // has it; a row sent again is dropped by its message id); the failed ones go again.
      const results = await Promise.allSettled(
        rows.map((r) => js!.publish(r.subject, r.payload, { msgID: r.msg_id, timeout: 5000 })),
      );
      const acked = rows.filter((_, i) => results[i].status === 'fulfilled');
      this.outbox.remove(acked.map((r) => r.seq));
      const failures = rows.flatMap((row, i) => {
        const r = results[i];
        return r.status === 'rejected' ? [{ row, reason: errorText(r.reason) }] : [];
      });
      for (const { row, reason } of failures) {
        // Refused for what the row is (the others went through, or the error says so), not for the
        // state of the stream or the connection: counted, and parked after a few tries.
        const ownFault = !TRANSIENT.test(reason) && (acked.length > 0 || ROW_SPECIFIC.test(reason));
        if (ownFault && this.outbox.failed(row.seq, reason)) {
          EXEC_METRICS.parkedEvents.set(this.outbox.parkedCount);
          this.run.log.error(
            { msgId: row.msg_id, subject: row.subject, reason },
            'event parked: JetStream refuses it (list: tickwork exec parked; retry: tickwork exec parked --retry)',
          );
        }
      }
      const failed = failures.length > 0;
      EXEC_METRICS.publishErrors.inc(failures.length);
      this.publishFailing = failed;
      EXEC_METRICS.pendingEvents.set(this.outbox.size);
      if (failed) await interruptibleSleep(250, this.wakers.publish);
      // Room again in the outbox: pulling may resume.
      else this.wakers.pull.wake?.();
    }
  }
}
