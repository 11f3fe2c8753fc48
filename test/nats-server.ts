// A real nats-server (Debian's, 2.9.x) for the tests that need JetStream: its own free loopback
// port and store directory, ready when it says so; killed and restarted on the same port and store
// to play an outage. `npm test` installs the binary first when it is missing (ensure-nats-server.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { DiscardPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { tempDir } from './helpers.js';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

export class NatsServer {
  private proc: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    readonly dir: string,
    readonly listen: string,
  ) {}

  /** `listen`: the address to bind (0.0.0.0 for clients in other network namespaces); the url is loopback's. */
  static async start(listen = '127.0.0.1'): Promise<NatsServer> {
    const server = new NatsServer(await freePort(), tempDir(), listen);
    await server.restart();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** (Re)start on the same port and store directory. */
  async restart(): Promise<void> {
    const proc = spawn('nats-server', ['-js', '-a', this.listen, '-p', String(this.port), '-sd', this.dir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.proc = proc;
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nats-server did not start: ${log}`)), 15_000);
      proc.stderr!.on('data', (d) => {
        log += d;
        if (log.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.on('error', (err) =>
        reject(
          new Error(
            `nats-server could not run (is it installed? npm test installs it: test/ensure-nats-server.ts): ${err.message}`,
          ),
        ),
      );
      proc.on('exit', (code) => reject(new Error(`nats-server exited with ${code}: ${log}`)));
    });
  }

  /** SIGKILL: an outage, not a shutdown. */
  async kill(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  }

  /** A durable consumer's counts: waiting to be delivered, delivered but not acknowledged. */
  async consumer(stream: string, durable: string): Promise<{ pending: number; ackPending: number }> {
    const nc = await connect({ servers: this.url });
    try {
      const info = await (await jetstreamManager(nc)).consumers.info(stream, durable);
      return { pending: info.num_pending, ackPending: info.num_ack_pending };
    } finally {
      await nc.close();
    }
  }

  /** Make `stream` refuse new messages once it holds `maxMsgs` (-1: no limit), as a full stream does. */
  async capStream(stream: string, maxMsgs: number): Promise<void> {
    const nc = await connect({ servers: this.url });
    try {
      await (await jetstreamManager(nc)).streams.update(stream, { max_msgs: maxMsgs, discard: DiscardPolicy.New });
    } finally {
      await nc.close();
    }
  }

  /** Refuse messages over `bytes` in `stream` (-1: no limit), as a stream configured so would. */
  async limitMessageSize(stream: string, bytes: number): Promise<void> {
    const nc = await connect({ servers: this.url });
    try {
      await (await jetstreamManager(nc)).streams.update(stream, { max_msg_size: bytes });
    } finally {
      await nc.close();
    }
  }

  /** Messages stored in `stream` now. */
  async streamSize(stream: string): Promise<number> {
    const nc = await connect({ servers: this.url });
    try {
      return (await (await jetstreamManager(nc)).streams.info(stream)).state.messages;
    } finally {
      await nc.close();
    }
  }

  /** Publish exactly these bytes or this text to a JetStream subject, as any publisher could; the stream sequence it got. */
  async publishRaw(subject: string, payloads: readonly (string | Uint8Array)[]): Promise<number[]> {
    const nc = await connect({ servers: this.url, maxPingOut: 10 });
    try {
      const js = jetstream(nc);
      const seqs: number[] = [];
      for (const p of payloads) seqs.push((await js.publish(subject, p, { timeout: 10_000 })).seq);
      return seqs;
    } finally {
      await nc.close();
    }
  }

  /** Every message stored in `stream`, in order, as {subject, data}. */
  async messages(stream: string): Promise<{ subject: string; data: any }[]> {
    const nc = await connect({ servers: this.url });
    try {
      const jsm = await jetstreamManager(nc);
      const { state } = await jsm.streams.info(stream);
      const out: { subject: string; data: any }[] = [];
      for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
        const m = await jsm.streams.getMessage(stream, { seq });
        if (!m) continue;
        let data: any = null; // a payload that is not JSON (a hostile publisher's) reads as null
        try {
          data = m.json();
        } catch {}
        out.push({ subject: m.subject, data });
      }
      return out;
    } finally {
      await nc.close();
    }
  }
}
