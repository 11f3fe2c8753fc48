// `tickwork exec <verb>`: `serve` runs the service (the control server plus the pack's listener on
// 8004, and the open-ended run exec/service fed from JetStream); after a crash it continues the
// interrupted run, so intents already acknowledged still get their fills. `publish-sample` puts
// synthetic intents on decisions.order_intent for smoke tests and demos.
import { jetstream } from '@nats-io/jetstream';
import {
  EXIT,
  flag,
  isoTime,
  type PackCommand,
  parseFlags,
  resolveDbPath,
  Store,
  streamRng,
  usageError,
  wallEpochMs,
} from '../../../runtime/sdk.js';
import { sampleIntent } from '../domain/sample-intent.js';
import { serviceRunToContinue } from './service-run-to-continue.js';
import { SUBJECTS } from '../sim/messages.js';
import { connectNats, ensureStream, manager } from '../io/jetstream-link.js';
import { serviceConfigFromEnv } from '../config/service-config.js';
import { MAX_PUBLISH_ATTEMPTS, Outbox } from '../store/outbox.js';

const serveCommand: PackCommand = {
  summary: 'run the execution simulator service: JetStream in, fills out, /healthz and /metrics on :8004',
  async run(argv, { packs, serve }) {
    if (argv.includes('--help') || argv.includes('-h')) {
      console.log(`Usage: tickwork exec serve [serve options]

Starts the control server with the exec service listener (port 8004, EXEC_SIM_PORT) and the open-ended
run exec/service, paced 1:1: intents from the durable consumer exec-sim-consumer on stream trading-events
(created if missing), fills and reconciles published to executions.fill / executions.reconcile, invalid
intents to executions.dead_letter. An interrupted exec/service run in the store (a crash, a kill) is
continued instead of starting anew; so is a run still marked running whose process is gone, or whose
lease ran out (its owner in another pid namespace or on another host; waited for, TICKWORK_RUN_LEASE_S).
A second live service on the same store is refused. Other options are tickwork serve's (--port, --db, --host, ...);
--workers defaults to 0 here (the run on the main thread: faster for a tick's few orders).

Environment: NATS_URL (nats://127.0.0.1:4222), SIMULATION_MIN_DELAY_MS (100), SIMULATION_MAX_DELAY_MS (2000),
SIMULATION_PARTIAL_FILL_CHANCE (0.1), SIMULATION_SLIPPAGE_BPS (2), SIMULATION_FILL_MODEL (uniform|size-aware),
SIMULATION_LOT_SIZE (1: partial fills in whole shares), SIMULATION_LOT_SIZES (BTC-USD=0.001,...),
EXEC_SIM_OUTBOX_MAX (1000), EXEC_SIM_MAX_ACK_PENDING (256), EXEC_SIM_ACK_WAIT_S (30), EXEC_SIM_DUPLICATE_WINDOW_S (3600),
EXEC_SIM_SEED (1), MAINTENANCE_MODE (false; SIGUSR2 or POST /maintenance flips it), EXEC_SIM_PORT (8004).`);
      return EXIT.ok;
    }
    const config = serviceConfigFromEnv();
    // The store serve will open (`--db PATH` or `--db=PATH`), to look for a run to continue in it.
    const dbAt = argv.findIndex((a) => a === '--db' || a.startsWith('--db='));
    const db = dbAt < 0 ? undefined : argv[dbAt] === '--db' ? argv[dbAt + 1] : argv[dbAt].slice('--db='.length);
    const store = new Store(resolveDbPath(db), packs.migrationSets());
    let choice: Awaited<ReturnType<typeof serviceRunToContinue>>;
    try {
      choice = await serviceRunToContinue(store, (line) => console.log(line));
    } finally {
      store.close();
    }
    const run =
      'resume' in choice
        ? ['--resume', choice.resume]
        : [
            '--start',
            'exec/service',
            '--seed',
            String(config.seed),
            ...Object.entries(config.policies).flatMap(([k, v]) => ['--policy', `${k}=${JSON.stringify(v)}`]),
          ];
    if ('resume' in choice) console.log(`continuing the interrupted service run ${choice.resume}`);
    // A tick's work is a few orders: on the main thread it beats the hop to worker threads (bench 11).
    const workers = argv.includes('--workers') ? [] : ['--workers', '0'];
    return serve([...argv, ...workers, '--service', 'exec', ...run]);
  },
};

function wholeNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw usageError(`--${name} must be a whole number of at least 0 (got '${raw}')`, name);
  return n;
}

const publishSampleCommand: PackCommand = {
  summary: 'publish N synthetic order intents (and K invalid ones) to NATS_URL',
  async run(argv) {
    const { values, positionals } = parseFlags(argv, {
      count: { type: 'string' },
      invalid: { type: 'string' },
      seed: { type: 'string' },
      prefix: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) {
      console.log(`Usage: tickwork exec publish-sample --count N [--invalid K] [--seed S] [--prefix P] [--json]

Publishes N valid synthetic intents to decisions.order_intent on NATS_URL (the stream trading-events is
created if missing), each with its intent id as JetStream message id, then K invalid ones (no correlation_id).
Intent ids are <prefix>-<n> (default prefix: sample-<seed>); the same seed publishes the same intents.`);
      return EXIT.ok;
    }
    if (positionals.length > 0)
      throw usageError(`publish-sample takes no positional arguments (got '${positionals[0]}')`);
    const count = wholeNumber('count', values.count, 10);
    const invalid = wholeNumber('invalid', values.invalid, 0);
    const seed = flag('seed', values.seed) ?? 1;
    if (count + invalid > 1_000_000)
      throw usageError('--count and --invalid: at most 1,000,000 intents in all', 'count');
    const prefix = values.prefix ?? `sample-${seed}`;
    const config = serviceConfigFromEnv();
    const nc = await connectNats(config.natsUrl, 'tickwork-exec publish-sample');
    try {
      await ensureStream(await manager(nc), config.duplicateWindowSec);
      const js = jetstream(nc);
      const rng = streamRng(seed, 3);
      const now = isoTime(wallEpochMs());
      let duplicates = 0;
      for (let n = 1; n <= count + invalid; n++) {
        const intent = sampleIntent(rng, `${prefix}-${n}`, now);
        if (n > count) delete intent.correlation_id;
        const ack = await js.publish(SUBJECTS.intent, JSON.stringify(intent), { msgID: String(intent.intent_id) });
        if (ack.duplicate) duplicates++;
      }
      const report = { subject: SUBJECTS.intent, valid: count, invalid, duplicates, prefix };
      console.log(
        values.json
          ? JSON.stringify(report)
          : `published ${count} valid and ${invalid} invalid intents to ${SUBJECTS.intent} (${duplicates} already there: dropped by JetStream)`,
      );
      return EXIT.ok;
    } finally {
      await nc.close();
    }
  },
};

const parkedCommand: PackCommand = {
  summary: 'list the events JetStream refused (parked in the outbox), or send them again with --retry',
  async run(argv, { packs }) {
    const { values, positionals } = parseFlags(argv, {
      db: { type: 'string' },
      retry: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (values.help) {
      console.log(`Usage: tickwork exec parked [--db PATH] [--retry] [--json]

Lists the events the service could not publish after ${MAX_PUBLISH_ATTEMPTS} tries because JetStream refused them for what
they are (too big for the stream, say), oldest first, with the reason. They never block the events behind
them, and /healthz is not ok while any is parked. Once the cause is fixed (the stream's max_msg_size
raised, say), --retry puts them back in line; a running service publishes them within a second.`);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw usageError(`parked takes no positional arguments (got '${positionals[0]}')`);
    const store = new Store(resolveDbPath(values.db), packs.migrationSets());
    try {
      const outbox = new Outbox(store.tables('exec'));
      if (values.retry) {
        const n = outbox.unparkAll();
        console.log(values.json ? JSON.stringify({ retried: n }) : `${n} parked event(s) back in line to publish`);
        return EXIT.ok;
      }
      const rows = outbox.parked(1000);
      if (values.json) console.log(JSON.stringify({ parked: outbox.parkedCount, events: rows }));
      else if (rows.length === 0) console.log('no parked events');
      else
        for (const r of rows)
          console.log(
            `${r.parked_at}  ${r.subject}  ${r.msg_id}  ${r.bytes} B  ${r.attempts} tries: ${r.parked_reason}`,
          );
      return EXIT.ok;
    } finally {
      store.close();
    }
  },
};

export const EXEC_COMMANDS: Readonly<Record<string, PackCommand>> = {
  serve: serveCommand,
  'publish-sample': publishSampleCommand,
  parked: parkedCommand,
};
