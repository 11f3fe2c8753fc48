// `tickwork agent --nats URL [--parallel N]`: one machine of a sweep fleet. It pulls run jobs from
// the JetStream work queue (cli/fleet/fleet-nats.ts) N at a time, runs each as a `tickwork run`
// child process like a local sweep's, and sends back the result and the run's rows. While a run
// goes on it tells JetStream it is working, so only a dead agent's job is delivered again (to any
// agent: the redone run gives the same digest). A run that ends without a summary is given back
// for another try; at the delivery bound it becomes a dead letter with its reason.
import type { ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { availableParallelism } from 'node:os';
import { gzipSync } from 'node:zlib';
import { type Consumer, jetstream, type JsMsg } from '@nats-io/jetstream';
import { flag, parseFlags } from '../../runtime/edge/command-flags.js';
import { connectNats } from '../../runtime/edge/nats-connect.js';
import { EXIT, usageError } from '../../runtime/edge/exit-codes.js';
import { FLEET_LIMITS } from '../../runtime/limits.js';
import { formatDurationMs } from '../../runtime/scenario/duration.js';
import { checkPolicies, loadScenario } from '../../runtime/scenario/scenario-loader.js';
import { resolveDbPath, Store } from '../../runtime/store/store.js';
import { paramsLabel, sweepLabel } from '../../runtime/sweep/sweep-plan.js';
import type { CliContext } from '../cli-context.js';
import {
  type AgentInfo,
  consumerName,
  ensureAgentsConsumer,
  type FleetJob,
  type FleetResult,
  fleetJob,
  JOB_STREAM,
  openFleet,
  PING_SUBJECT,
  recordResult,
  resultKey,
} from '../fleet/fleet-nats.js';
import { fleetVersion } from '../fleet/fleet-version.js';
import { untilDone } from '../fleet/until-done.js';
import { runArgs } from '../sweep/batch-settings.js';
import { runCase } from '../sweep/run-processes.js';

export const AGENT_HELP = `Usage: tickwork agent --nats URL [options]

Run sweep jobs from a NATS JetStream work queue, as one machine of a fleet. Start agents on any
number of machines, then submit with tickwork sweep <scenario> --seeds 1..1000 --nats URL: each
agent runs jobs N at a time and sends every result and the run's rows back to the submitter's
store. An agent takes only jobs of its own tickwork build (version and code fingerprint).

Options:
  --nats URL             the NATS server with JetStream (required), e.g. nats://10.0.0.5:4222
  --parallel N           runs at once (default: the cores, ${availableParallelism()} here)
  --db PATH              this agent's own store for the runs it makes
                         (default: $TICKWORK_DB or ./data/tickwork.db)
  --ack-wait D           how long a job may go without a heartbeat before it is delivered again
                         (default ${FLEET_LIMITS.defaultAckWaitMs / 1000}s; the agent sends one every third of it)
  --max-deliver N        deliveries of a job before it becomes a dead letter (default ${FLEET_LIMITS.defaultMaxDeliver})
  -h, --help             this help

Runs until SIGINT or SIGTERM: then it takes no new job and gives the running ones back to the
queue for another agent.`;

/** How long one pull waits for a job before asking again (bounds how long a stop takes). */
const PULL_EXPIRES_MS = 2000;
/** How long a stopping agent waits to send its last acks and naks. */
const DRAIN_MS = 3000;

export async function agentCommand(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    nats: { type: 'string' },
    parallel: { type: 'string' },
    db: { type: 'string' },
    'ack-wait': { type: 'string' },
    'max-deliver': { type: 'string' },
  });
  if (values.help) {
    console.log(AGENT_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw usageError(`agent takes no arguments (got '${positionals[0]}')`);
  if (!values.nats) throw usageError('agent needs --nats URL, e.g. --nats nats://127.0.0.1:4222', 'nats');
  const parallel = flag('parallel', values.parallel) ?? availableParallelism();
  const ackWaitMs = flag('ack-wait', values['ack-wait']) ?? FLEET_LIMITS.defaultAckWaitMs;
  if (ackWaitMs < 1000) throw usageError('--ack-wait must be at least 1s', 'ack-wait');
  const maxDeliver = flag('max-deliver', values['max-deliver']) ?? FLEET_LIMITS.defaultMaxDeliver;
  const db = resolveDbPath(values.db);
  const store = new Store(db, ctx.packs.migrationSets());
  const version = fleetVersion();
  const host = hostname();
  const agent = `${host}:${process.pid}`;

  const nc = await connectNats(values.nats, `tickwork agent ${agent}`);
  const fleet = await openFleet(nc);
  await ensureAgentsConsumer(fleet.jsm, version, ackWaitMs, maxDeliver);
  const consumer: Consumer = await jetstream(nc).consumers.get(JOB_STREAM, consumerName(version));
  console.log(
    `tickwork agent ${agent}  version ${version}  nats=${values.nats}  parallel=${parallel}  ` +
      `ack-wait=${formatDurationMs(ackWaitMs)}  max-deliver=${maxDeliver}  db=${db}`,
  );

  const running = new Set<ChildProcess>();
  let stopping = false;
  let done = 0;
  const stopped = new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      console.log(`${signal}: no new jobs; the ${running.size} running go back to the queue`);
      for (const child of running) child.kill('SIGTERM');
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  const info = (): AgentInfo => ({ agent, host, version, parallel, running: running.size, done });
  nc.subscribe(PING_SUBJECT, { callback: (_err, m) => void m.respond(JSON.stringify(info())) });
  const isStopping = () => stopping;

  const handle = async (msg: JsMsg): Promise<void> => {
    const deliveries = msg.info.deliveryCount;
    const parsed = fleetJob.safeParse(jsonOrUndefined(msg.string()));
    if (!parsed.success) {
      console.log(`refused stream message ${msg.seq}: not a tickwork job (${parsed.error.issues[0].message})`);
      msg.term();
      return;
    }
    const job = parsed.data;
    const key = resultKey(job.sweepId, job.caseIndex);
    const base = { v: 1 as const, sweepId: job.sweepId, caseIndex: job.caseIndex, agent, version, deliveries };
    const settle = async (r: FleetResult, then: () => void) => {
      await untilDone(`recording the result of ${key}`, () => recordResult(fleet.results, r), isStopping);
      then();
    };
    let args: string[];
    try {
      if (job.version !== version)
        throw usageError(`this agent runs tickwork ${version}, the job was made by ${job.version}`);
      args = jobArgs(job, ctx, db);
    } catch (err) {
      const error = (err as Error).message;
      console.log(`refused job ${key}: ${error}`);
      return settle({ ...base, status: 'refused', exitCode: EXIT.usage, wallMs: 0, error }, () => msg.term());
    }
    // Done already (an ack that was lost in an outage, a slow agent that came back): count it once.
    if (await fleet.results.get(key).catch(() => null)) return void msg.ack();

    console.log(`job ${key} seed ${job.seed} ${paramsLabel(job.policies)} started (delivery ${deliveries})`);
    const heartbeat = setInterval(() => msg.working(), Math.max(250, ackWaitMs / 3));
    const c = { seed: job.seed, policies: job.policies, params: paramsLabel(job.policies) };
    const result = await runCase(c, args, running).finally(() => clearInterval(heartbeat));
    if (result.summary) {
      const runObject = `${key}/${result.summary.runId}`;
      const rows = gzipSync(JSON.stringify(store.exportRun(result.summary.runId)));
      await untilDone(`sending the rows of ${key}`, () => fleet.runs.putBlob({ name: runObject }, rows), isStopping);
      const { exitCode, wallMs, summary } = result;
      await settle({ ...base, status: 'done', exitCode, wallMs, summary, runObject }, () => msg.ack());
      done++;
      console.log(`job ${key} ${summary.status} digest ${summary.digest} in ${formatDurationMs(Math.round(wallMs))}`);
    } else if (stopping) {
      msg.nak(); // interrupted by this agent's own stop: another agent takes it now
    } else if (result.exitCode === EXIT.usage || deliveries >= maxDeliver) {
      // A refusal is the same on every try; a crash gets maxDeliver tries.
      console.log(`job ${key} dead-lettered after ${deliveries} deliveries: ${result.error}`);
      const dead = { ...base, status: 'dead-letter' as const, exitCode: result.exitCode, wallMs: result.wallMs };
      await settle({ ...dead, error: result.error }, () => msg.term());
    } else {
      console.log(`job ${key} ended without a summary (${result.error}); given back for another try`);
      msg.nak(1000);
    }
  };

  const lane = async (): Promise<void> => {
    while (!stopping) {
      // A stop does not wait for the pull: with NATS away it could wait for as long as the outage.
      const pulled = consumer.next({ expires: PULL_EXPIRES_MS }).catch((err: Error) => {
        console.log(`cannot pull a job (${err.message}); trying again`);
        return Promise.race([stopped, new Promise((r) => setTimeout(r, 1000))]).then(() => null);
      });
      const msg = await Promise.race([pulled, stopped.then(() => null)]);
      if (msg && stopping) msg.nak();
      else if (msg)
        // Unacknowledged, the job is delivered again after the ack wait: nothing is lost.
        await handle(msg).catch((err: Error) => console.log(`job at stream sequence ${msg.seq}: ${err.message}`));
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  // Drained (acks and naks sent) when NATS answers; closed regardless after a moment when it does not.
  await Promise.race([nc.drain().catch(() => {}), new Promise((r) => setTimeout(r, DRAIN_MS).unref())]);
  await nc.close().catch(() => {});
  store.close();
  console.log(`agent ${agent} stopped after ${done} runs`);
  return EXIT.ok;
}

/** The job as `tickwork run` arguments, checked as the CLI checks them: a message names no file. */
function jobArgs(job: FleetJob, ctx: CliContext, db: string): string[] {
  const scenario = loadScenario(ctx.packs, job.scenario, { allowFiles: false });
  checkPolicies(ctx.packs, scenario.pack, job.policies, 'TW_ERR_VALIDATION', '--policy', []);
  flag('pace', job.pace);
  flag('workers', job.workers);
  flag('duration', job.duration);
  return runArgs(job.scenario, db, sweepLabel(job.sweepId), job);
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
