// `tickwork sweep ... --nats URL`: the submitting side of a fleet. It publishes a job per run to the
// work queue, then gathers each job's result from the results bucket and moves the run's rows into
// this machine's store (so `runs`, `show`, `report` and `compare` work on them). A NATS outage
// pauses it (publishing and gathering are tried again until NATS answers); a job JetStream gave
// up on (its agents kept dying) comes back as a dead letter from JetStream's own advisory.
import { gunzipSync } from 'node:zlib';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats } from '../../runtime/edge/nats-connect.js';
import { EXIT } from '../../runtime/edge/exit-codes.js';
import type { RunBundle, Store } from '../../runtime/store/store.js';
import type { SweepCase } from '../../runtime/sweep/sweep-plan.js';
import type { SweepResult } from '../../runtime/sweep/sweep-results.js';
import {
  type AgentInfo,
  type Fleet,
  type FleetJob,
  type FleetResult,
  JOB_STREAM,
  jobSubject,
  maxDeliveriesAdvisory,
  openFleet,
  PING_SUBJECT,
  recordResult,
} from './fleet-nats.js';
import { fleetVersion } from './fleet-version.js';
import { untilDone } from './until-done.js';

export interface FleetSweepOptions {
  url: string;
  sweepId: string;
  /** A catalogue scenario name (agents never read files). */
  scenario: string;
  cases: readonly SweepCase[];
  pace: string;
  workers: string;
  duration?: string;
  store: Store;
  onResult: (result: SweepResult, results: readonly SweepResult[]) => void;
}

/** How often the results bucket is read for new results. */
const GATHER_EVERY_MS = 500;
/** How long agents have to answer who they are. */
const PING_WAIT_MS = 1000;

export async function runOnFleet(o: FleetSweepOptions): Promise<{ results: SweepResult[]; interrupted: boolean }> {
  const version = fleetVersion();
  const nc = await connectNats(o.url, `tickwork sweep ${o.sweepId}`);
  const fleet = await openFleet(nc);
  let stopping = false;
  let wake: () => void = () => {};
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: this sweep's jobs not yet taken are withdrawn; results so far follow\n`);
    wake();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const isStopping = () => stopping;
  const subject = jobSubject(version, o.sweepId);
  const results: SweepResult[] = [];
  try {
    describeAgents(await agentsOnline(nc), version, o.url);
    const js = jetstream(nc);
    const caseOfSeq = new Map<number, number>();
    for (const [caseIndex, c] of o.cases.entries()) {
      if (stopping) break;
      const job: FleetJob = {
        v: 1,
        version,
        sweepId: o.sweepId,
        caseIndex,
        scenario: o.scenario,
        seed: c.seed,
        policies: c.policies,
        pace: o.pace,
        workers: o.workers,
        ...(o.duration ? { duration: o.duration } : {}),
      };
      // The message id makes a publish retried after an outage count once.
      const ack = await untilDone(
        `publishing job ${caseIndex}`,
        () => js.publish(subject, JSON.stringify(job), { msgID: `${o.sweepId}.${caseIndex}` }),
        isStopping,
      );
      caseOfSeq.set(ack.seq, caseIndex);
    }
    if (!stopping) process.stderr.write(`published ${o.cases.length} jobs on ${subject}\n`);
    nc.subscribe(maxDeliveriesAdvisory(version), {
      callback: (_err, m) => void deadLetterFromAdvisory(fleet, m.json(), caseOfSeq, o.sweepId, version),
    });
    await gather(fleet, o, results, isStopping, (w) => (wake = w));
    // Ended or interrupted, nothing of this sweep stays queued: jobs not yet taken (a stop), and a done
    // job whose removal a nats-server killed mid-ack did not keep (seen with 2.9 after SIGKILL).
    await fleet.jsm.streams.purge(JOB_STREAM, { filter: subject }).catch(() => {});
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await nc.close().catch(() => {});
  }
  return { results, interrupted: stopping };
}

/** Reads the results bucket until every case has one (or a stop), importing each run once. */
async function gather(
  fleet: Fleet,
  o: FleetSweepOptions,
  results: SweepResult[],
  stopping: () => boolean,
  onWake: (wake: () => void) => void,
): Promise<void> {
  const seen = new Set<number>();
  let unreachable = false;
  while (seen.size < o.cases.length && !stopping()) {
    try {
      for await (const key of await fleet.results.keys(`${o.sweepId}.*`)) {
        const caseIndex = Number(key.slice(o.sweepId.length + 1));
        if (seen.has(caseIndex) || !(caseIndex < o.cases.length)) continue;
        const entry = await fleet.results.get(key);
        if (!entry) continue;
        const record = entry.json<FleetResult>();
        let result = sweepResultOf(record, o.cases[caseIndex]);
        if (record.runObject) {
          const blob = await fleet.runs.getBlob(record.runObject);
          if (!blob) continue; // written before the record; read again at the next look
          try {
            o.store.importRun(JSON.parse(gunzipSync(blob).toString('utf8')) as RunBundle);
          } catch (err) {
            // Rows this store cannot take (damaged, or the store is full): the run is reported, not hidden.
            const { summary: _, ...rest } = result;
            result = { ...rest, error: `its rows could not be stored here: ${(err as Error).message}` };
          }
        }
        seen.add(caseIndex);
        results.push(result);
        o.onResult(results[results.length - 1], results);
      }
      if (unreachable) process.stderr.write('NATS answers again: gathering goes on\n');
      unreachable = false;
    } catch (err) {
      if (!unreachable) process.stderr.write(`cannot read results (${(err as Error).message}); waiting for NATS\n`);
      unreachable = true;
    }
    if (seen.size < o.cases.length)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, GATHER_EVERY_MS);
        onWake(() => {
          clearTimeout(timer);
          resolve();
        });
      });
  }
}

function sweepResultOf(r: FleetResult, c: SweepCase): SweepResult {
  const base = { case: c, exitCode: r.exitCode, wallMs: r.wallMs, agent: r.agent };
  if (r.summary) return { ...base, summary: r.summary };
  return { ...base, error: `${r.status} after ${r.deliveries} deliveries: ${r.error ?? 'no reason given'}` };
}

/** A job whose agents all died before finishing it: JetStream says so once; it becomes a dead letter. */
async function deadLetterFromAdvisory(
  fleet: Fleet,
  advisory: { stream_seq?: number; deliveries?: number },
  caseOfSeq: ReadonlyMap<number, number>,
  sweepId: string,
  version: string,
): Promise<void> {
  const caseIndex = caseOfSeq.get(advisory.stream_seq ?? -1);
  if (caseIndex === undefined) return; // another sweep's job
  // Out of the queue first: once the result is there, this sweep may end and close its connection.
  await fleet.jsm.streams.deleteMessage(JOB_STREAM, advisory.stream_seq!).catch(() => {});
  await recordResult(fleet.results, {
    v: 1,
    sweepId,
    caseIndex,
    status: 'dead-letter',
    agent: 'submitter',
    version,
    exitCode: EXIT.infrastructure,
    wallMs: 0,
    deliveries: advisory.deliveries ?? 0,
    error: 'no agent finished it (each one died or lost NATS while running it)',
  }).catch(() => {});
}

async function agentsOnline(nc: NatsConnection): Promise<AgentInfo[]> {
  const agents: AgentInfo[] = [];
  try {
    for await (const m of await nc.requestMany(PING_SUBJECT, '', { strategy: 'timer', maxWait: PING_WAIT_MS }))
      agents.push(m.json<AgentInfo>());
  } catch {
    // no responders: no agent is up yet
  }
  return agents;
}

function describeAgents(agents: readonly AgentInfo[], version: string, url: string): void {
  const mine = agents.filter((a) => a.version === version);
  const others = agents.filter((a) => a.version !== version);
  const list = (as: readonly AgentInfo[]) => as.map((a) => `${a.agent} (${a.parallel} at once)`).join(', ');
  if (mine.length > 0) process.stderr.write(`fleet: ${mine.length} agents on tickwork ${version}: ${list(mine)}\n`);
  else
    process.stderr.write(
      `fleet: no agent on tickwork ${version} yet; the jobs wait in the queue for one (tickwork agent --nats ${url})\n`,
    );
  if (others.length > 0)
    process.stderr.write(
      `fleet: ${others.length} agents on other builds will not take these jobs: ${others.map((a) => `${a.agent} ${a.version}`).join(', ')}\n`,
    );
}
