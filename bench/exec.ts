// Bench 11: the execution simulator service through a real nats-server. (a) Throughput: N intents
// published to decisions.order_intent, timed from the first publish to the last reconcile seen on
// executions.reconcile, with zero simulated delay; the reference in the same run is raw JetStream
// with the same client, pipelined: the same payloads published (512 in flight) while a streaming
// pull consumer acks them. Target: at least 50% of the raw rate. (b) Latency at the runbook's
// delays (100-2000 ms): publish to reconcile, per intent; target p95 under 2 s.
import { jetstream, jetstreamManager, AckPolicy } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { sampleIntent } from '../actors/exec/domain/sample-intent.js';
import { isoTime, wallEpochMs } from '../runtime/pacing.js';
import { streamRng } from '../runtime/rng.js';
import { NatsServer } from '../test/nats-server.js';
import { tempDir } from '../test/helpers.js';
import { fmt, percentileOf, printTable } from './harness.js';

const N = Number(process.env.BENCH_INTENTS ?? 5000);
const LATENCY_N = Number(process.env.BENCH_LATENCY_INTENTS ?? 1000);
/** Publishes in flight at once, as the service's outbox publishes (PUBLISH_WINDOW). */
const WINDOW = 256;
/** The raw baseline's publishes in flight: the pipelined rate the issue measured (24k msgs/s here). */
const RAW_WINDOW = 512;
const CLI = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../cli/main.js');

const payloads = (prefix: string, n: number) => {
  const rng = streamRng(11, 3);
  const now = isoTime(wallEpochMs());
  return Array.from({ length: n }, (_, i) => JSON.stringify(sampleIntent(rng, `${prefix}-${i + 1}`, now, 0)));
};

/**
 * Raw JetStream, pipelined (the fair baseline the issue asked for): a streaming pull consumer
 * acks every message while the same client publishes the payloads with RAW_WINDOW publishes in
 * flight; timed from the first publish to the last message received. Each message crosses
 * JetStream twice (stored, then delivered and acked), as an intent does on its way in.
 */
async function rawJetStream(nats: NatsServer, data: string[]): Promise<number> {
  const nc = await connect({ servers: nats.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'raw', subjects: ['raw.intent'] });
  await jsm.consumers.add('raw', { durable_name: 'raw', ack_policy: AckPolicy.Explicit, max_ack_pending: 10_000 });
  const js = jetstream(nc);
  const consumer = await js.consumers.get('raw', 'raw');
  const messages = await consumer.consume({ max_messages: 1000 });
  const started = performance.now();
  const received = (async () => {
    let got = 0;
    for await (const m of messages) {
      m.ack();
      if (++got === data.length) break;
    }
  })();
  for (let i = 0; i < data.length; i += RAW_WINDOW)
    await Promise.all(data.slice(i, i + RAW_WINDOW).map((d) => js.publish('raw.intent', d)));
  await received;
  const seconds = (performance.now() - started) / 1000;
  await messages.close();
  await nc.close();
  return data.length / seconds;
}

/** The service: publish, then wait for every reconcile; returns intents/s and each intent's publish-to-reconcile ms. */
async function throughService(
  nats: NatsServer,
  data: string[],
  env: Record<string, string>,
): Promise<{ rate: number; latencies: number[] }> {
  const proc = spawn(
    process.execPath,
    [
      CLI,
      'exec',
      'serve',
      '--port',
      '0',
      ...(process.env.BENCH_SERVE_WORKERS ? ['--workers', process.env.BENCH_SERVE_WORKERS] : []),
      '--db',
      path.join(tempDir(), 'bench.db'),
    ],
    {
      env: { ...process.env, TICKWORK_LOG_LEVEL: 'silent', NATS_URL: nats.url, EXEC_SIM_PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  while (!/started service/.test(out)) await new Promise((r) => setTimeout(r, 50));
  const nc = await connect({ servers: nats.url });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  // Wait for the service to have created the stream and its consumer.
  for (;;) {
    try {
      await jsm.consumers.info('trading-events', 'exec-sim-consumer');
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const sub = nc.subscribe('executions.reconcile');
  const done = (async () => {
    for await (const m of sub) {
      const r = m.json<{ intent_id: string }>();
      const t = sentAt.get(r.intent_id);
      if (t !== undefined) latencies.push(performance.now() - t);
      if (latencies.length === data.length) break;
    }
  })();
  const started = performance.now();
  for (let i = 0; i < data.length; i += WINDOW) {
    await Promise.all(
      data.slice(i, i + WINDOW).map((d) => {
        const id = (JSON.parse(d) as { intent_id: string }).intent_id;
        sentAt.set(id, performance.now());
        return js.publish('decisions.order_intent', d, { msgID: id });
      }),
    );
  }
  await done;
  const seconds = (performance.now() - started) / 1000;
  await nc.close();
  proc.kill('SIGTERM');
  await new Promise((r) => proc.once('exit', r));
  return { rate: data.length / seconds, latencies };
}

const rows: Record<string, string | number>[] = [];
{
  const nats = await NatsServer.start();
  const raw = await rawJetStream(nats, payloads('raw', N));
  const service = await throughService(nats, payloads('fast', N), {
    SIMULATION_MIN_DELAY_MS: '0',
    SIMULATION_MAX_DELAY_MS: '0',
    SIMULATION_PARTIAL_FILL_CHANCE: '0',
  });
  await nats.kill();
  rows.push({
    what: `raw JetStream, pipelined: publish (512 in flight) while a pull consumer acks, ${N} msgs (baseline)`,
    'per s': fmt(raw),
    ratio: '1.00',
    'p95 ms': '-',
  });
  rows.push({
    what: `exec service, zero delay, ${N} intents`,
    'per s': fmt(service.rate),
    ratio: (service.rate / raw).toFixed(2),
    'p95 ms': percentileOf(service.latencies, 95).toFixed(0),
  });
}
{
  const nats = await NatsServer.start();
  const service = await throughService(nats, payloads('paced', LATENCY_N), {});
  await nats.kill();
  rows.push({
    what: `exec service, runbook delays 100-2000 ms, ${LATENCY_N} intents`,
    'per s': fmt(service.rate),
    ratio: '-',
    'p95 ms': percentileOf(service.latencies, 95).toFixed(0),
  });
}
printTable('Bench 11: exec service through nats-server (publish to reconcile)', rows);
