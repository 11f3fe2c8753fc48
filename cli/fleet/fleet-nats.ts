// The fleet's JetStream resources and messages, shared by `tickwork agent` and `sweep --nats`:
// - stream TICKWORK_JOBS (work queue, on disk): a job per run, on `tickwork.jobs.<version>.<sweep>`;
//   a durable pull consumer per version (`agents_<version>`), explicit acks, bounded deliveries;
// - key-value bucket `tickwork_results`: one record per job, key `<sweep>.<case>`, created once
//   (the first result wins; a redone run gives the same digest anyway);
// - object store `tickwork_runs`: each run's rows (run-bundle.ts), gzipped, for the submitter's store.
import { AckPolicy, type JetStreamManager, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { type KV, Kvm } from '@nats-io/kv';
import { type ObjectStore, Objm } from '@nats-io/obj';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import { FLEET_LIMITS } from '../../runtime/limits.js';
import type { RunSummary } from '../../runtime/run/run-summary.js';
import { SWEEP_LIMITS } from '../../runtime/sweep/sweep-plan.js';
import { versionToken } from './fleet-version.js';

export const JOB_STREAM = 'TICKWORK_JOBS';
export const RESULTS_BUCKET = 'tickwork_results';
export const RUNS_STORE = 'tickwork_runs';
export const PING_SUBJECT = 'tickwork.agents.ping';
const KEEP_NS = nanos(FLEET_LIMITS.keepMs);

export const jobSubject = (version: string, sweepId: string) => `tickwork.jobs.${versionToken(version)}.${sweepId}`;
export const consumerName = (version: string) => `agents_${versionToken(version)}`;
export const resultKey = (sweepId: string, caseIndex: number) => `${sweepId}.${caseIndex}`;
/** The advisory JetStream sends when a job has been delivered as often as the consumer allows. */
export const maxDeliveriesAdvisory = (version: string) =>
  `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${JOB_STREAM}.${consumerName(version)}`;

/** A run to make: everything an agent needs, nothing it would take from the submitter's disk. */
export const fleetJob = z
  .object({
    v: z.literal(1),
    version: z.string().max(100),
    sweepId: z.string().regex(/^[0-9a-f]{12}$/),
    caseIndex: z.number().int().min(0).max(SWEEP_LIMITS.maxRuns),
    /** A catalogue scenario name: an agent never reads a file a message names. */
    scenario: z.string().min(1).max(200),
    seed: z.number().int().min(0).max(0xffffffff),
    policies: z.record(z.string().max(100), z.unknown()),
    pace: z.string().max(30),
    workers: z.string().max(3),
    duration: z.string().max(30).optional(),
  })
  .strict();
export type FleetJob = z.infer<typeof fleetJob>;

/** What became of a job: a run (`done`), a run that kept failing (`dead-letter`), or a job refused. */
export interface FleetResult {
  v: 1;
  sweepId: string;
  caseIndex: number;
  status: 'done' | 'dead-letter' | 'refused';
  /** `host:pid` of the agent that wrote it (or `submitter` for a dead letter only the submitter saw). */
  agent: string;
  version: string;
  exitCode: number;
  wallMs: number;
  deliveries: number;
  summary?: RunSummary;
  error?: string;
  /** The run's rows in the object store, when there is a run. */
  runObject?: string;
}

export interface AgentInfo {
  agent: string;
  host: string;
  version: string;
  parallel: number;
  running: number;
  done: number;
}

export interface Fleet {
  nc: NatsConnection;
  jsm: JetStreamManager;
  results: KV;
  runs: ObjectStore;
}

/** The stream, bucket and object store, created when missing (by whichever side comes first). */
export async function openFleet(nc: NatsConnection): Promise<Fleet> {
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.info(JOB_STREAM);
  } catch {
    await jsm.streams.add({
      name: JOB_STREAM,
      subjects: ['tickwork.jobs.>'],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      max_age: KEEP_NS,
      duplicate_window: nanos(120_000),
    });
  }
  const results = await new Kvm(nc).create(RESULTS_BUCKET, { history: 1, ttl: FLEET_LIMITS.keepMs });
  const runs = await new Objm(nc).create(RUNS_STORE, { ttl: KEEP_NS });
  return { nc, jsm, results, runs };
}

/** The version's consumer, with this ack wait and delivery bound (updated when another agent set others). */
export async function ensureAgentsConsumer(
  jsm: JetStreamManager,
  version: string,
  ackWaitMs: number,
  maxDeliver: number,
): Promise<void> {
  const name = consumerName(version);
  const config = {
    durable_name: name,
    ack_policy: AckPolicy.Explicit,
    filter_subject: jobSubject(version, '>'), // every sweep's jobs of this build
    ack_wait: nanos(ackWaitMs),
    max_deliver: maxDeliver,
  };
  try {
    const info = await jsm.consumers.info(JOB_STREAM, name);
    if (info.config.ack_wait !== config.ack_wait || info.config.max_deliver !== maxDeliver)
      await jsm.consumers.update(JOB_STREAM, name, { ack_wait: config.ack_wait, max_deliver: maxDeliver });
  } catch (err) {
    if (!/not found/i.test((err as Error).message)) throw err;
    await jsm.consumers.add(JOB_STREAM, config);
  }
}

/** Writes a job's result unless one is there; false when another was first. */
export async function recordResult(results: KV, r: FleetResult): Promise<boolean> {
  try {
    await results.create(resultKey(r.sweepId, r.caseIndex), JSON.stringify(r));
    return true;
  } catch (err) {
    if (/wrong last sequence|exists/i.test((err as Error).message)) return false;
    throw err;
  }
}
