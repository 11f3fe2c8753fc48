// The execution simulator as a service against a real nats-server: intents published on
// decisions.order_intent come back as fills and reconciles on executions.*, exactly once, through
// a NATS outage, a stream refusing publishes (a full outbox pauses pulling), a SIGKILL of the
// simulator, two instances on one durable consumer, and maintenance mode; invalid intents are dead-lettered with their
// reason. Fill contents are a
// function of (seed, intent): the published fills equal the fill model's, run here in-process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { planFills } from '../../actors/exec/domain/fill-model.js';
import { orderIntentSchema } from '../../actors/exec/domain/order-intent.js';
import { sampleIntent } from '../../actors/exec/domain/sample-intent.js';
import { namedRng } from '../../runtime/rng.js';
import { type SpawnOptionsWithStdioTuple, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CLI, cliSpawn, cliSync, http, lastJsonLine, ROOT, tempDir, waitFor } from '../helpers.js';
import { NatsServer } from '../nats-server.js';

// Short delays, and an intent held by a killed instance comes back after 2 s, not 30.
const FAST = { SIMULATION_MIN_DELAY_MS: '50', SIMULATION_MAX_DELAY_MS: '400', EXEC_SIM_ACK_WAIT_S: '2' };

interface ExecProcess {
  service: string;
  output: () => string;
  stop(): Promise<void>;
  kill(): Promise<void>;
  signal(name: NodeJS.Signals): void;
  /** Unreaped launches: end the wrapper, so its zombie goes. */
  reapZombie?: () => void;
}

/**
 * How the service process is started: plainly; inside a new pid namespace (`unshare --pid`, where
 * it is pid 1, as in a container); or under a parent that never reaps it (killed, it stays a zombie).
 */
type Launch = 'plain' | 'new-pid-namespace' | 'unreaped';

function launch(how: Launch, args: string[], env: Record<string, string>) {
  const cli = [process.execPath, CLI, ...args];
  if (how === 'plain') return cliSpawn(args, env);
  const opts: SpawnOptionsWithStdioTuple<'ignore', 'pipe', 'pipe'> = {
    env: { ...process.env, ...env },
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  };
  // --kill-child: the service dies with the unshare process, as a container's pid 1 with its container.
  if (how === 'new-pid-namespace') return spawn('unshare', ['--pid', '--kill-child', ...cli], opts);
  // The shell starts the service, prints its pid, and becomes `sleep`, which never waits for it.
  return spawn('sh', ['-c', '"$@" & echo "service pid $!"; exec sleep 600', 'sh', ...cli], opts);
}

/** `tickwork exec serve` as a child process, ready once both its listeners are. */
async function execServe(
  nats: NatsServer,
  db: string,
  env: Record<string, string> = {},
  how: Launch = 'plain',
): Promise<ExecProcess> {
  const proc = launch(how, ['exec', 'serve', '--port', '0', '--db', db, '--workers', '1'], serviceEnv(nats, env));
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const service = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`exec serve did not start: ${out}`)), 30_000);
    proc.stdout.on('data', () => {
      const m = /service exec listening on (http:\/\/\S+)/.exec(out);
      if (m && /started service|continuing|run started/.test(out)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.once('exit', (code) => reject(new Error(`exec serve exited with ${code}: ${out}`)));
  });
  // Unreaped, the service is the wrapper's child: signals go to it, and killing it leaves a zombie.
  // In a pid namespace it is unshare's child (unshare blocks SIGTERM while it waits for it).
  const servicePid =
    how === 'unreaped'
      ? Number(/service pid (\d+)/.exec(out)?.[1])
      : how === 'new-pid-namespace'
        ? Number(readFileSync(`/proc/${proc.pid}/task/${proc.pid}/children`, 'utf8').trim())
        : proc.pid!;
  return {
    service,
    output: () => out,
    async stop() {
      process.kill(servicePid, 'SIGTERM');
      if (how === 'unreaped') {
        await waitFor('the service to exit', () => zombieOrGone(servicePid));
        proc.kill('SIGKILL');
      }
      await exited;
    },
    async kill() {
      // In a pid namespace, unshare goes with it (--kill-child), as a container with its pid 1.
      process.kill(how === 'new-pid-namespace' ? proc.pid! : servicePid, 'SIGKILL');
      if (how !== 'unreaped') await exited;
      else await waitFor('a zombie', () => zombieOrGone(servicePid));
    },
    signal: (name) => process.kill(servicePid, name),
    ...(how === 'unreaped' ? { reapZombie: () => proc.kill('SIGKILL') } : {}),
  };
}

function serviceEnv(nats: NatsServer, env: Record<string, string>): Record<string, string> {
  return { TICKWORK_LOG_LEVEL: 'warn', NATS_URL: nats.url, EXEC_SIM_PORT: '0', ...FAST, ...env };
}

/** A process that ended, whether or not its parent has reaped it. */
function zombieOrGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

const publish = (nats: NatsServer, args: string[]) => {
  const r = cliSync(['exec', 'publish-sample', '--json', ...args], { NATS_URL: nats.url });
  assert.is(r.code, 0, r.stderr);
  return lastJsonLine(r.stdout);
};
/** The service's /healthz body; its status is 200 exactly when `ok` (the runbook's `curl -f` check). */
const health = async (p: ExecProcess) => {
  const r = await http('GET', `${p.service}/healthz`);
  assert.is(r.status, r.body.ok ? 200 : 503, `/healthz status follows ok: ${JSON.stringify(r.body)}`);
  return r.body;
};

/** The stream's messages about intents whose ids start with `prefix` (each test publishes its own). */
async function executions(nats: NatsServer, prefix: string) {
  const all = (await nats.messages('trading-events')).filter((m) =>
    String(m.data?.intent_id ?? m.data?.intent?.intent_id ?? '').startsWith(`${prefix}-`),
  );
  const fills = all.filter((m) => m.subject === 'executions.fill').map((m) => m.data);
  const reconciles = all.filter((m) => m.subject === 'executions.reconcile').map((m) => m.data);
  const deadLetters = all.filter((m) => m.subject === 'executions.dead_letter').map((m) => m.data);
  const intents = all.filter((m) => m.subject === 'decisions.order_intent').map((m) => m.data);
  return { fills, reconciles, deadLetters, intents };
}

function assertExactlyOnce(e: Awaited<ReturnType<typeof executions>>, validIntents: number) {
  const ids = e.reconciles.map((r) => r.intent_id);
  assert.is(new Set(ids).size, ids.length, 'one reconcile per intent');
  assert.is(ids.length, validIntents, 'every valid intent reconciled');
  const fillIds = e.fills.map((f) => `${f.intent_id}:${f.ordinal}`);
  assert.is(new Set(fillIds).size, fillIds.length, 'no fill twice');
  assert.is(
    e.fills.length,
    e.reconciles.reduce((s, r) => s + r.fill_count, 0),
    'every fill of every reconcile, once',
  );
}

let nats: NatsServer;
test.before(async () => {
  nats = await NatsServer.start();
});
test.after(async () => {
  await nats?.kill();
});

test('end to end: fills sum to the quantity, slip at most SIMULATION_SLIPPAGE_BPS against the side, respect limits, equal the model run in-process; invalid intents are dead-lettered', async () => {
  const p = await execServe(nats, path.join(tempDir(), 'e2e.db'));
  try {
    const up = await waitFor('connected to JetStream', async () => {
      const h = await health(p);
      return h.nats === 'connected' && h;
    });
    assert.equal([up.ok, up.processor_status, up.pending_events, up.maintenance], [true, 'active', 0, false]);
    publish(nats, ['--count', '40', '--invalid', '3', '--seed', '5']);
    await waitFor('40 reconciles', async () => (await executions(nats, 'sample-5')).reconciles.length >= 40);
    const e = await executions(nats, 'sample-5');
    assertExactlyOnce(e, 40);
    const byIntent = new Map(
      e.intents.filter((i) => i.correlation_id !== undefined).map((i) => [i.intent_id, orderIntentSchema.parse(i)]),
    );
    for (const r of e.reconciles) {
      const intent = byIntent.get(r.intent_id)!;
      const fills = e.fills.filter((f) => f.intent_id === r.intent_id).sort((a, b) => a.ordinal - b.ordinal);
      // What the model computes for (seed 1, this intent), here, without NATS or the service.
      const plan = planFills(
        intent,
        {
          model: 'uniform',
          minDelayMs: 50,
          maxDelayMs: 400,
          partialFillChance: 0.1,
          slippageBps: 2,
          typicalQuantity: 100,
          lotSize: () => 1,
        },
        namedRng(1, intent.intent_id),
      );
      assert.equal(
        fills.map((f) => [f.quantity, f.price, f.latency_ms]),
        plan.fills.map((f) => [f.quantity, f.price, f.delayMs]),
        `fills of ${intent.intent_id}`,
      );
      if (r.status === 'unfilled') continue;
      // Whole shares split into whole shares: a consumer's plain sum is the quantity, exactly.
      assert.ok(
        fills.every((f) => Number.isInteger(f.quantity)),
        `whole-share fills: ${fills.map((f) => f.quantity)}`,
      );
      assert.is(
        fills.reduce((s, f) => s + f.quantity, 0),
        intent.quantity,
        'partial fills sum exactly',
      );
      const sign = intent.side === 'buy' ? 1 : -1;
      for (const f of fills) {
        const bps = (sign * (f.price - intent.reference_price) * 10_000) / intent.reference_price;
        assert.ok(bps >= -1e-6 && bps <= 2 + 1e-3, `slippage ${bps} bps`);
        if (intent.order_type === 'limit')
          assert.ok(sign * (f.price - intent.limit_price!) <= 1e-9, 'at the limit or better');
      }
      assert.is(r.fill_count, fills.length);
    }
    assert.ok(e.fills.some((f) => f.fill_type === 'partial') || e.fills.length === e.reconciles.length);
    assert.equal(
      e.deadLetters.map((d) => d.reason),
      ['missing_correlation_id', 'missing_correlation_id', 'missing_correlation_id'],
    );
    const metrics = (await http('GET', `${p.service}/metrics`)).body as string;
    assert.match(metrics, /exec_sim_orders_received_total\{status="success"\} 40/);
    assert.match(metrics, /exec_sim_validation_errors_total\{reason="missing_correlation_id"\} 3/);
    // The runbook's quick verification, as its operators type it.
    const sum = cliSyncShell(
      `curl -s ${p.service}/metrics | grep 'exec_sim_fills_generated_total' | awk '{sum+=$2} END {print "Fills generated:", sum+0}'`,
    );
    assert.is(sum.trim(), `Fills generated: ${e.fills.length}`);
  } finally {
    await p.stop();
  }
});

function cliSyncShell(command: string): string {
  const { spawnSync } = require_('node:child_process') as typeof import('node:child_process');
  return spawnSync('bash', ['-c', command], { encoding: 'utf8' }).stdout;
}
const require_ = (await import('node:module')).createRequire(import.meta.url);

test('NATS killed mid-stream and restarted: health says so, events wait in the outbox, every intent gets its fills exactly once', async () => {
  const p = await execServe(nats, path.join(tempDir(), 'outage.db'), {
    SIMULATION_MIN_DELAY_MS: '500',
    SIMULATION_MAX_DELAY_MS: '3000',
  });
  try {
    await waitFor('connected', async () => (await health(p)).nats === 'connected');
    publish(nats, ['--count', '150', '--seed', '6']);
    await waitFor('some reconciles', async () => (await executions(nats, 'sample-6')).reconciles.length >= 10);
    await nats.kill();
    const down = await waitFor('health: disconnected', async () => {
      const h = await health(p);
      return h.nats === 'disconnected' && h;
    });
    assert.equal([down.ok, down.processor_status], [false, 'stopped']);
    // Orders in flight keep filling into the outbox while NATS is away.
    await waitFor('events buffered', async () => (await health(p)).pending_events > 0);
    await nats.restart();
    await waitFor('150 reconciles', async () => (await executions(nats, 'sample-6')).reconciles.length >= 150, 60_000);
    await waitFor('outbox drained', async () => {
      const h = await health(p);
      return h.pending_events === 0 && h.nats === 'connected' && h.processor_status === 'active';
    });
    assertExactlyOnce(await executions(nats, 'sample-6'), 150);
  } finally {
    await p.stop();
  }
});

test('an outage with a small outbox (EXEC_SIM_OUTBOX_MAX=10): orders in flight fill past it into the outbox, nothing is dropped, all drains once', async () => {
  const p = await execServe(nats, path.join(tempDir(), 'small.db'), {
    EXEC_SIM_OUTBOX_MAX: '10',
    SIMULATION_MIN_DELAY_MS: '1000',
    SIMULATION_MAX_DELAY_MS: '3000',
  });
  try {
    await waitFor('connected', async () => (await health(p)).nats === 'connected');
    publish(nats, ['--count', '60', '--seed', '10']);
    // All sixty taken (acknowledged) before the outage: their fills are owed.
    await waitFor(
      'all taken',
      async () =>
        (await nats.consumer('trading-events', 'exec-sim-consumer')).pending === 0 &&
        (await nats.consumer('trading-events', 'exec-sim-consumer')).ackPending === 0,
    );
    await nats.kill();
    const full = await waitFor('the outbox past its max', async () => {
      const h = await health(p);
      return h.pending_events > 10 && h;
    });
    assert.equal([full.ok, full.nats, full.processor_status], [false, 'disconnected', 'stopped']);
    await nats.restart();
    await waitFor('60 reconciles', async () => (await executions(nats, 'sample-10')).reconciles.length >= 60, 60_000);
    assertExactlyOnce(await executions(nats, 'sample-10'), 60);
    assert.match((await http('GET', `${p.service}/metrics`)).body, /exec_sim_nats_publish_errors_total \d+/);
  } finally {
    await p.stop();
  }
});

test('connected but JetStream refusing publishes: the outbox fills to EXEC_SIM_OUTBOX_MAX and pulling pauses, intents wait in the consumer; accepted again, all drains once', async () => {
  const p = await execServe(nats, path.join(tempDir(), 'full.db'), {
    EXEC_SIM_OUTBOX_MAX: '20',
    EXEC_SIM_MAX_ACK_PENDING: '8',
    MAINTENANCE_MODE: 'true',
  });
  try {
    await waitFor('connected', async () => (await health(p)).nats === 'connected');
    publish(nats, ['--count', '200', '--seed', '12']);
    // The stream takes nothing more (a full stream with discard=new): every fill publish fails.
    await nats.capStream('trading-events', await nats.streamSize('trading-events'));
    await http('POST', `${p.service}/maintenance`, { on: false });
    const full = await waitFor('outbox full', async () => {
      const h = await health(p);
      return /outbox full/.test(h.note ?? '') && h;
    });
    assert.equal([full.ok, full.nats, full.processor_status], [false, 'degraded', 'stopped']);
    // Orders taken before it filled still add their fills (the bound is passed by what is in flight).
    const waiting = (await nats.consumer('trading-events', 'exec-sim-consumer')).pending;
    assert.ok(waiting > 0, `intents still wait in the consumer: ${waiting}`);
    // The publisher keeps failing and retrying; meanwhile not one more intent is pulled.
    const errors = async () =>
      Number(
        /exec_sim_nats_publish_errors_total (\d+)/.exec((await http('GET', `${p.service}/metrics`)).body)?.[1] ?? 0,
      );
    const before = await errors();
    await waitFor('a dozen more failed publishes', async () => (await errors()) >= before + 12 * 20);
    assert.is(
      (await nats.consumer('trading-events', 'exec-sim-consumer')).pending,
      waiting,
      'pulling paused while the outbox is full',
    );
    await nats.capStream('trading-events', -1);
    await waitFor('200 reconciles', async () => (await executions(nats, 'sample-12')).reconciles.length >= 200, 60_000);
    assertExactlyOnce(await executions(nats, 'sample-12'), 200);
  } finally {
    // The next tests share the stream: never leave it capped.
    await nats.capStream('trading-events', -1).catch(() => undefined);
    await p.stop();
  }
});

test('the simulator SIGKILLed mid-stream and started again: it continues its run, and every intent gets its fills exactly once', async () => {
  const db = path.join(tempDir(), 'killed.db');
  const first = await execServe(nats, db, { SIMULATION_MIN_DELAY_MS: '500', SIMULATION_MAX_DELAY_MS: '3000' });
  await waitFor('connected', async () => (await health(first)).nats === 'connected');
  publish(nats, ['--count', '150', '--seed', '7']);
  await waitFor('some reconciles', async () => (await executions(nats, 'sample-7')).reconciles.length >= 10);
  await first.kill();
  const second = await execServe(nats, db, { SIMULATION_MIN_DELAY_MS: '500', SIMULATION_MAX_DELAY_MS: '3000' });
  try {
    assert.match(second.output(), /continuing the interrupted service run/);
    await waitFor('150 reconciles', async () => (await executions(nats, 'sample-7')).reconciles.length >= 150, 60_000);
    assertExactlyOnce(await executions(nats, 'sample-7'), 150);
  } finally {
    await second.stop();
  }
});

/**
 * Killed mid-stream and started again as `how` says: the second instance continues the first's run
 * (it does not start a new one), and every acknowledged intent gets its fills exactly once.
 */
async function restartContinuesTheRun(how: Launch, prefixSeed: number, env: Record<string, string> = {}) {
  const db = path.join(tempDir(), `restart-${how}.db`);
  const slow = { SIMULATION_MIN_DELAY_MS: '500', SIMULATION_MAX_DELAY_MS: '3000', ...env };
  const first = await execServe(nats, db, slow, how);
  const firstRun = (await health(first)).run_id;
  await waitFor('connected', async () => (await health(first)).nats === 'connected');
  publish(nats, ['--count', '150', '--seed', String(prefixSeed)]);
  const prefix = `sample-${prefixSeed}`;
  await waitFor('some reconciles', async () => (await executions(nats, prefix)).reconciles.length >= 10);
  await first.kill();
  const second = await execServe(nats, db, slow, how);
  try {
    assert.match(second.output(), /continuing the interrupted service run/);
    assert.is((await health(second)).run_id, firstRun, 'the same run continues');
    await waitFor('150 reconciles', async () => (await executions(nats, prefix)).reconciles.length >= 150, 60_000);
    assertExactlyOnce(await executions(nats, prefix), 150);
    const h = await health(second);
    assert.equal([h.ok, h.alarms], [true, undefined], JSON.stringify(h));
    return second.output();
  } finally {
    await second.stop();
    first.reapZombie?.();
  }
}

test('killed with SIGKILL and left unreaped (a zombie that still answers to its pid): the restart continues its run, every intent filled once', async () => {
  await restartContinuesTheRun('unreaped', 31);
});

test('killed as pid 1 of a pid namespace and restarted as pid 1 of another (a container): the restart waits out the lease and continues the run, every intent filled once', async () => {
  const output = await restartContinuesTheRun('new-pid-namespace', 32, { TICKWORK_RUN_LEASE_S: '3' });
  assert.match(output, /waiting for its lease to run out/);
});

test('a second live service on the same store is refused, naming the run and its process', async () => {
  const db = path.join(tempDir(), 'shared.db');
  const first = await execServe(nats, db);
  try {
    const second = cliSync(['exec', 'serve', '--port', '0', '--db', db], serviceEnv(nats, {}));
    assert.is(second.code, 2, second.stdout + second.stderr);
    assert.match(second.stderr, /is live in process .*: stop it first, or give a second instance its own --db/);
  } finally {
    await first.stop();
  }
});

test('two instances on the same durable consumer share the work with no duplicate fills', async () => {
  const a = await execServe(nats, path.join(tempDir(), 'a.db'));
  const b = await execServe(nats, path.join(tempDir(), 'b.db'));
  try {
    for (const p of [a, b]) await waitFor('connected', async () => (await health(p)).nats === 'connected');
    publish(nats, ['--count', '300', '--seed', '8']);
    await waitFor('300 reconciles', async () => (await executions(nats, 'sample-8')).reconciles.length >= 300, 60_000);
    assertExactlyOnce(await executions(nats, 'sample-8'), 300);
    const taken = async (p: ExecProcess) =>
      Number(
        /exec_sim_orders_received_total\{status="success"\} (\d+)/.exec(
          (await http('GET', `${p.service}/metrics`)).body,
        )?.[1] ?? 0,
      );
    const [na, nb] = [await taken(a), await taken(b)];
    assert.ok(na > 0 && nb > 0, `both instances worked: ${na} and ${nb}`);
  } finally {
    await a.stop();
    await b.stop();
  }
});

test('maintenance mode: no new intents taken, health and metrics stay up; switched off, the waiting intents are filled', async () => {
  const p = await execServe(nats, path.join(tempDir(), 'maint.db'), { MAINTENANCE_MODE: 'true' });
  try {
    const h = await waitFor('connected', async () => {
      const s = await health(p);
      return s.nats === 'connected' && s;
    });
    assert.equal([h.ok, h.maintenance, h.processor_status], [true, true, 'stopped']);
    assert.match(h.note, /maintenance mode/);
    publish(nats, ['--count', '5', '--seed', '9']);
    // The five wait in the consumer, not delivered to anyone, while the service stays up.
    assert.equal(await nats.consumer('trading-events', 'exec-sim-consumer'), { pending: 5, ackPending: 0 });
    assert.match((await http('GET', `${p.service}/metrics`)).body, /exec_sim_pending_events_count 0/);
    assert.is((await executions(nats, 'sample-9')).reconciles.length, 0);
    const off = await http('POST', `${p.service}/maintenance`, { on: false });
    assert.equal(off.body, { maintenance: false });
    await waitFor('5 reconciles', async () => (await executions(nats, 'sample-9')).reconciles.length >= 5);
    assertExactlyOnce(await executions(nats, 'sample-9'), 5);
    // The reload signal flips it back on.
    p.signal('SIGUSR2');
    await waitFor('maintenance again', async () => (await health(p)).maintenance === true);
  } finally {
    await p.stop();
  }
});

test('an event JetStream refuses for what it is is parked after a few tries and never blocks the events behind it; /healthz is not ok until it is sent again', async () => {
  const db = path.join(tempDir(), 'parked.db');
  const p = await execServe(nats, db);
  try {
    await waitFor('connected', async () => (await health(p)).nats === 'connected');
    await nats.limitMessageSize('trading-events', 3000);
    // An invalid intent just under the stream's limit: its dead letter (the intent whole, and why) is over it.
    await nats.publishRaw('decisions.order_intent', [
      JSON.stringify({ intent_id: 'park-0', padding: 'x'.repeat(2880) }),
    ]);
    publish(nats, ['--count', '50', '--seed', '33']);
    await waitFor('50 reconciles behind it', async () => (await executions(nats, 'sample-33')).reconciles.length >= 50);
    const parked = await waitFor('parked', async () => {
      const h = await health(p);
      return h.parked_events === 1 && h;
    });
    assert.is(parked.ok, false);
    assert.match(parked.alarms.join(' '), /1 event\(s\) parked/);
    assert.match((await http('GET', `${p.service}/metrics`)).body, /exec_sim_parked_events_count 1/);
    const listed = cliSync(['exec', 'parked', '--db', db, '--json']);
    assert.is(listed.code, 0, listed.stderr);
    const [event] = lastJsonLine(listed.stdout).events;
    assert.is(event.subject, 'executions.dead_letter');
    assert.match(event.parked_reason, /exceeds maximum/);
    assert.is((await executions(nats, 'park')).deadLetters.length, 0);

    await nats.limitMessageSize('trading-events', -1);
    const retried = cliSync(['exec', 'parked', '--retry', '--db', db, '--json']);
    assert.equal(lastJsonLine(retried.stdout), { retried: 1 });
    await waitFor('the dead letter published', async () => (await executions(nats, 'park')).deadLetters.length === 1);
    await waitFor('healthy again', async () => {
      const h = await health(p);
      return h.ok && h.parked_events === 0;
    });
    assertExactlyOnce(await executions(nats, 'sample-33'), 50);
  } finally {
    await nats.limitMessageSize('trading-events', -1).catch(() => undefined);
    await p.stop();
  }
});

test('hostile publishers: deep, huge, binary, non-JSON, control-character and whitespace ids are dead-lettered with their reason and acknowledged; every valid intent is reconciled exactly once and the service stays healthy', async () => {
  const p = await execServe(nats, path.join(tempDir(), 'hostile.db'));
  try {
    await waitFor('connected', async () => (await health(p)).nats === 'connected');
    const valid = (id: string) => sampleIntent(namedRng(3, id), id, '2026-12-03T10:00:00Z');
    const text = (v: unknown) => JSON.stringify(v);
    const validIds = Array.from({ length: 20 }, (_, i) => `hostile-v${i}`);
    // What an audit sent, each once, between valid intents: none may stop the service or block what follows.
    const hostile: [string, string | Uint8Array][] = [
      ['too_deep', `{"intent_id":"hostile-deep","x":${'['.repeat(5000)}${']'.repeat(5000)}}`],
      ['too_large', text({ ...valid('hostile-huge'), pad: 'x'.repeat(900_000) })],
      ['not_json', Uint8Array.from({ length: 64 }, (_, i) => (i * 37) % 256)],
      ['not_json', 'hello'],
      ['not_json', 'hello'],
      ['invalid_field', text(valid('hostile-line\nbreak'))],
      ['invalid_field', text(valid(' hostile-ws'))],
    ];
    const payloads = [
      ...validIds.slice(0, 10).map((id) => text(valid(id))),
      ...hostile.map(([, body]) => body),
      text(valid('hostile-ws')), // the trimmed twin of an invalid id is its own intent
      text(valid('hostile-v0')), // a duplicate: dropped, not filled twice
      ...validIds.slice(10).map((id) => text(valid(id))),
    ];
    const seqs = await nats.publishRaw('decisions.order_intent', payloads);
    const hostileSeqs = seqs.slice(10, 10 + hostile.length);
    await waitFor(
      'every valid intent reconciled',
      async () => (await executions(nats, 'hostile')).reconciles.length >= 21,
    );
    await waitFor('every hostile message dead-lettered', async () => {
      const dl = (await nats.messages('trading-events')).filter((m) => m.subject === 'executions.dead_letter');
      return hostileSeqs.every((seq) => dl.some((m) => m.data.stream_seq === seq));
    });
    const letters = (await nats.messages('trading-events')).filter(
      (m) => m.subject === 'executions.dead_letter' && hostileSeqs.includes(m.data.stream_seq),
    );
    assert.equal(
      hostileSeqs.map((seq) => letters.filter((m) => m.data.stream_seq === seq).map((m) => m.data.reason)),
      hostile.map(([reason]) => [reason]),
      'one dead letter per hostile message, with its reason (the two identical texts each get their own)',
    );
    for (const m of letters)
      assert.ok(JSON.stringify(m.data).length < 8192, 'a dead letter carries an excerpt, not the payload');
    const e = await executions(nats, 'hostile');
    assertExactlyOnce(e, 21);
    assert.equal(
      e.reconciles.map((r) => r.intent_id).sort(),
      [...validIds, 'hostile-ws'].sort(),
      'the valid ones, and only they',
    );
    await waitFor('all acknowledged', async () => {
      const c = await nats.consumer('trading-events', 'exec-sim-consumer');
      return c.pending === 0 && c.ackPending === 0;
    });
    const h = await health(p);
    assert.equal([h.ok, h.nats, h.processor_status], [true, 'connected', 'active']);
  } finally {
    await p.stop();
  }
});

test.run();
