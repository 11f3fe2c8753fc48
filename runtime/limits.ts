// Every limit of the engine and the server, in one file: what a request, a run or a long-lived
// server can make grow, and how far. The sites that enforce them import them from here, and
// docs/limits.md is generated from `LIMIT_ROWS` with the packs' own rows (`npm run docs`; a test
// fails when the page is stale). A pack declares its own limits in its contract and lists them
// as `PackSurfaces.limits`.
import { availableParallelism } from 'node:os';
import { MAX_SLOTS } from './placement.js';

/** What one control server may host at once; a request past any of them is refused with 503 TW_ERR_CAPACITY. */
export const SERVER_LIMITS = {
  /** Runs running (or starting) at once. */
  maxActiveRuns: 16,
  /** Worker threads one run may ask for. */
  maxWorkersPerRun: Math.max(2, 2 * availableParallelism()),
  /** Worker threads across every active run. */
  maxWorkersTotal: Math.max(8, 8 * availableParallelism()),
  /** New runs are refused while the process uses this share (%) of the memory it may use. */
  maxMemoryPct: 85,
  /**
   * New runs are refused when their heap estimate would take a V8 heap (the main thread's for an
   * inline run, a worker's share otherwise) past this share (%) of its limit: V8 dies at its heap
   * limit long before the machine runs out.
   */
  maxHeapPct: 75,
  /** Heap one actor costs, for admission: the audit measured about 470 bytes per actor of a simple kind with its checkpoint copies; rounded up. */
  bytesPerActor: 600,
  /** Over HTTP a run that starts more actors than this runs on a worker, not inline: spawning them would hold the event loop. */
  maxInlineActors: 20_000,
  /** Longest sim duration a request may ask for (as the CLI's --duration). */
  maxSimDurationMs: 3650 * 86_400_000,
  /** JSON request bodies (express.json's `limit`); larger ones get 413. */
  bodyLimit: '64kb',
  /** A tick in flight this long makes /healthz say `degraded` (`stuckRuns`). */
  stuckTickMs: 5_000,
  /** Event streams (`GET /api/runs/:id/stream`) open at once; more get 503 TW_ERR_CAPACITY. */
  maxStreamClients: 100,
  /**
   * Bytes an event stream may have queued for a client that does not read; past it the stream is
   * closed (the browser's EventSource reconnects and starts again from `hello`).
   */
  maxStreamBufferBytes: 1024 * 1024,
};

/** What a server keeps of the runs it hosts. */
export const HOSTED_RUN_LIMITS = {
  /** Closed intervals kept per hosted run for watchers that connect mid-run (a week at 15-minute intervals fits). */
  intervalHistory: 2000,
  /** Applied inputs kept per hosted run, for timelines. */
  inputHistory: 1000,
  /** Ended runs stay hosted (SSE, live summary, inspector) this long; then the store answers for them. */
  endedRetentionMs: 10 * 60_000,
  /** At most this many ended runs stay hosted, whatever their age. */
  maxEndedHosted: 50,
};

/** Sweeps a control server runs (`POST /api/sweeps`); the CLI's own are bounded by SWEEP_LIMITS. */
export const HOSTED_SWEEP_LIMITS = {
  /** Runs one sweep over HTTP may make (seeds × parameter sets). */
  maxRuns: 1_000,
  /** Sweeps running at once; another is refused (503) until one ends. */
  maxRunning: 2,
  /** Ended sweeps kept in memory; older ones are still read from the store by their label. */
  maxEnded: 20,
};

/** A sweep fleet on NATS JetStream (`tickwork agent`, `sweep --nats`). */
export const FLEET_LIMITS = {
  /** How long a job may go without an agent's heartbeat before it is delivered again (`--ack-wait`). */
  defaultAckWaitMs: 30_000,
  /** Deliveries of a job before it becomes a dead letter (`--max-deliver`, at most 100). */
  defaultMaxDeliver: 3,
  /** Jobs, results and run rows nobody collected are dropped by NATS after this. */
  keepMs: 7 * 86_400_000,
};

/** One run's bounds. */
export const RUN_LIMITS = {
  /** Worker deaths a run recovers from before it fails TW_ERR_WORKER_LOST. */
  maxWorkerRecoveries: 5,
  /**
   * How long an interrupt (SIGTERM, server shutdown) waits for the tick in flight before ending it
   * and its workers: the run then resumes from its last checkpoint instead of waiting for the
   * tick watchdog.
   */
  interruptGraceMs: 5_000,
  /** Undelivered messages one partition may hold (policy `runtime.maxMailboxMessages`). */
  mailboxMessages: 5_000_000,
  /** Longest sim duration a scenario or `--duration` may give. */
  maxDurationMs: 10 * 365 * 86_400_000,
  /** Wall seconds one tick may take in the workers (scenario `tickWatchdogSec`), and its ceiling. */
  tickWatchdogSec: 60,
  maxTickWatchdogSec: 3600,
  /** Violation episodes kept per gate; later ones are counted, not listed. */
  maxEpisodesPerGate: 500,
  /** How deep an outside input (a message body, event parameters) may nest before the log refuses it. */
  maxInputDepth: 64,
  /** How much an outside input may hold (characters of its strings and keys, 8 per other value). */
  maxInputChars: 1024 * 1024,
  /** The actor inspector's wait for a worker's answer. */
  inspectTimeoutMs: 2_000,
};

/** Effects (HTTP calls, pack effects, pool jobs) of one run. */
export const EFFECT_LIMITS = {
  /** In flight at once. */
  concurrency: 16,
  /** Each effect's time limit (a job: its own budget). */
  timeoutMs: 5_000,
  /** Waiting to start; past it a request is refused. */
  maxQueued: 10_000,
  /** Characters of an HTTP effect's response body kept. */
  maxResponseBodyChars: 256 * 1024,
  /** Jobs waiting for the job pool. */
  maxQueuedJobs: 10_000,
};

/** The SQLite store. */
export const STORE_LIMITS = {
  /** A lock held by another process is waited for (SQLite retries with growing sleeps) this long. */
  busyTimeoutMs: 5_000,
  /** Below this much free disk a store that failed a write is still reported unwritable. */
  minFreeDiskBytes: 1024 * 1024,
  /** A running run's lease (`TICKWORK_RUN_LEASE_S` overrides): an owner out of sight that stops renewing lets go after this. */
  runLeaseMs: 30_000,
  /** How often the owner renews it (a third of a shorter lease). */
  leaseRenewEveryMs: 5_000,
  /** The store's size cap when TICKWORK_DB_MAX_MB is unset: past it writes fail with TW_ERR_STORE. */
  defaultMaxMb: 8192,
  /** What a prune keeps (`TICKWORK_RETENTION`, `tickwork prune --older-than`): the retention rules' age. */
  retentionMs: 30 * 86_400_000,
  /** How often the control server prunes (at start, then this often). */
  pruneEveryMs: 6 * 3_600_000,
};

/** Service (open-ended) runs thin their metric rows: older than `olderThanMs`, one row per `keepEveryMs`. */
export const SERVICE_RUN_RETENTION = [
  { olderThanMs: 24 * 3_600_000, keepEveryMs: 3_600_000 },
  { olderThanMs: 7 * 86_400_000, keepEveryMs: 86_400_000 },
];

/** One row of docs/limits.md. */
export interface LimitRow {
  readonly what: string;
  readonly limit: string;
  /** The constant or file that holds it. */
  readonly where: string;
}

const n = (x: number) => x.toLocaleString('en-US');
const s = (ms: number) => `${ms / 1000} s`;

/** The engine's and the server's limits, as documented. */
export const LIMIT_ROWS: readonly LimitRow[] = [
  {
    what: 'request body',
    limit: `${SERVER_LIMITS.bodyLimit.replace('kb', ' KB')} (413)`,
    where: '`SERVER_LIMITS.bodyLimit`',
  },
  {
    what: 'active runs per server',
    limit: `${SERVER_LIMITS.maxActiveRuns} (503 \`TW_ERR_CAPACITY\`)`,
    where: '`SERVER_LIMITS.maxActiveRuns`',
  },
  {
    what: 'worker threads per run (HTTP)',
    limit: 'max(2, 2 × cores) (400, `workers`)',
    where: '`SERVER_LIMITS.maxWorkersPerRun`',
  },
  {
    what: 'worker threads across active runs',
    limit: 'max(8, 8 × cores) (503)',
    where: '`SERVER_LIMITS.maxWorkersTotal`',
  },
  {
    what: 'server memory for new runs',
    limit: `refused (503) when the run's estimate (${SERVER_LIMITS.bytesPerActor} bytes per actor it starts with, the pack's \`actorsAtStart\`) would take the process past ${SERVER_LIMITS.maxMemoryPct}% of the memory it may use, or the V8 heap it lands in (the server's when inline, a worker's share otherwise) past ${SERVER_LIMITS.maxHeapPct}% of its limit; \`/healthz\` says why`,
    where: '`SERVER_LIMITS.maxMemoryPct`, `maxHeapPct`, `bytesPerActor`',
  },
  {
    what: 'inline runs over HTTP',
    limit: `a run starting more than ${SERVER_LIMITS.maxInlineActors.toLocaleString('en')} actors runs on 1 worker instead (same digest): spawning them would hold the event loop`,
    where: '`SERVER_LIMITS.maxInlineActors`',
  },
  {
    what: 'sim duration of a request',
    limit: `${SERVER_LIMITS.maxSimDurationMs / 86_400_000} sim days`,
    where: '`SERVER_LIMITS.maxSimDurationMs`',
  },
  {
    what: 'sim duration of a scenario or `--duration`',
    limit: `${RUN_LIMITS.maxDurationMs / (365 * 86_400_000)} sim years`,
    where: '`RUN_LIMITS.maxDurationMs`',
  },
  {
    what: 'a tick reported stuck by `/healthz`',
    limit: `${s(SERVER_LIMITS.stuckTickMs)} in flight (\`stuckRuns\`, status \`degraded\`, still 200)`,
    where: '`SERVER_LIMITS.stuckTickMs`',
  },
  {
    what: 'event streams (`GET /api/runs/:id/stream`)',
    limit: `${SERVER_LIMITS.maxStreamClients} open at once (503 \`TW_ERR_CAPACITY\` past it); a client that stops reading is dropped at ${SERVER_LIMITS.maxStreamBufferBytes / 1024 / 1024} MiB queued (tick events are skipped while it lags)`,
    where: '`SERVER_LIMITS.maxStreamClients`, `maxStreamBufferBytes`',
  },
  {
    what: 'ended runs kept in the server',
    limit: `${HOSTED_RUN_LIMITS.endedRetentionMs / 60_000} minutes, at most ${HOSTED_RUN_LIMITS.maxEndedHosted}; then the store answers`,
    where: '`HOSTED_RUN_LIMITS`',
  },
  {
    what: 'sweeps over HTTP (`POST /api/sweeps`)',
    limit: `${n(HOSTED_SWEEP_LIMITS.maxRuns)} runs each (400), ${HOSTED_SWEEP_LIMITS.maxRunning} running at once (503 \`TW_ERR_CAPACITY\`), ${HOSTED_SWEEP_LIMITS.maxEnded} ended ones kept in memory (then read from the store by label)`,
    where: '`HOSTED_SWEEP_LIMITS`',
  },
  {
    what: 'sweep fleet jobs (`tickwork agent`, `sweep --nats`)',
    limit: `${FLEET_LIMITS.defaultMaxDeliver} deliveries each, then a dead letter (\`--max-deliver\`, at most 100); redelivered after ${FLEET_LIMITS.defaultAckWaitMs / 1000} s without a heartbeat (\`--ack-wait\`); jobs, results and run rows kept in NATS ${FLEET_LIMITS.keepMs / 86_400_000} days; runs at once per agent: \`--parallel\`, at most 64`,
    where: '`FLEET_LIMITS`',
  },
  {
    what: 'interval and input history per hosted run (SSE)',
    limit: `${n(HOSTED_RUN_LIMITS.intervalHistory)} intervals, ${n(HOSTED_RUN_LIMITS.inputHistory)} inputs`,
    where: '`HOSTED_RUN_LIMITS`',
  },
  {
    what: 'undelivered messages per partition',
    limit: `${n(RUN_LIMITS.mailboxMessages)} (policy \`runtime.maxMailboxMessages\`)`,
    where: '`RUN_LIMITS.mailboxMessages`',
  },
  {
    what: 'actors of one partition',
    limit: `${n(MAX_SLOTS)} live at once (\`TW_ERR_LIMIT\`); a stopped actor's slot is reused, so actors ever spawned are not bounded, and memory follows the live ones`,
    where: '`MAX_SLOTS` (runtime/placement.ts)',
  },
  {
    what: 'worker recoveries per run',
    limit: `${RUN_LIMITS.maxWorkerRecoveries}; past it the run fails \`TW_ERR_WORKER_LOST\`, exit 3`,
    where: '`RUN_LIMITS.maxWorkerRecoveries`',
  },
  {
    what: "an interrupt's wait for the tick in flight",
    limit: `${s(RUN_LIMITS.interruptGraceMs)}; then the tick and its workers end and the run resumes from its last checkpoint`,
    where: '`RUN_LIMITS.interruptGraceMs`',
  },
  {
    what: 'one tick in the workers',
    limit: `${RUN_LIMITS.tickWatchdogSec} wall seconds by default, at most ${n(RUN_LIMITS.maxTickWatchdogSec)} (\`tickWatchdogSec\`); then the run fails naming the actor being stepped; inline runs cannot be watched`,
    where: '`RUN_LIMITS.tickWatchdogSec`',
  },
  {
    what: 'violation episodes per gate',
    limit: `${RUN_LIMITS.maxEpisodesPerGate} kept; later ones counted in \`violationCounts\` and \`violationsDropped\``,
    where: '`RUN_LIMITS.maxEpisodesPerGate`',
  },
  {
    what: 'an outside input (message body, event parameters)',
    limit: `nested at most ${RUN_LIMITS.maxInputDepth} levels, at most ${RUN_LIMITS.maxInputChars / 1024} K characters (400 \`TW_ERR_VALIDATION\`)`,
    where: '`RUN_LIMITS.maxInputDepth`, `RUN_LIMITS.maxInputChars`',
  },
  {
    what: 'actor inspector answer',
    limit: `${s(RUN_LIMITS.inspectTimeoutMs)}, then 503 \`TW_ERR_UNAVAILABLE\``,
    where: '`RUN_LIMITS.inspectTimeoutMs`',
  },
  {
    what: 'effects in flight / queued',
    limit: `${EFFECT_LIMITS.concurrency} / ${n(EFFECT_LIMITS.maxQueued)} per run; ${s(EFFECT_LIMITS.timeoutMs)} each (a job: its budget)`,
    where: '`EFFECT_LIMITS`',
  },
  {
    what: 'HTTP effect response body',
    limit: `${EFFECT_LIMITS.maxResponseBodyChars / 1024} K characters kept`,
    where: '`EFFECT_LIMITS.maxResponseBodyChars`',
  },
  {
    what: 'job pool',
    limit: `one thread per core, ${n(EFFECT_LIMITS.maxQueuedJobs)} queued`,
    where: '`EFFECT_LIMITS.maxQueuedJobs`',
  },
  {
    what: 'a lock held on the store by another process',
    limit: `waited ${s(STORE_LIMITS.busyTimeoutMs)}, then \`TW_ERR_STORE\``,
    where: '`STORE_LIMITS.busyTimeoutMs`',
  },
  {
    what: 'a running run held by a process another cannot see (other host or pid namespace)',
    limit: `a lease of ${s(STORE_LIMITS.runLeaseMs)} renewed every ${s(STORE_LIMITS.leaseRenewEveryMs)} (\`TICKWORK_RUN_LEASE_S\`); unrenewed, the run is free to resume`,
    where: '`STORE_LIMITS.runLeaseMs`',
  },
  {
    what: 'store file size',
    limit: `${STORE_LIMITS.defaultMaxMb} MB unless \`TICKWORK_DB_MAX_MB\` says otherwise (\`off\`: the disk); past it, TW_ERR_STORE as a full disk; old rows leave by the retention rules below`,
    where: '`runtime/store/store-file.ts`',
  },
  {
    what: 'service runs',
    limit:
      'inputs behind the older kept checkpoint dropped; metric rows hourly after a sim day, daily after a week; 2 checkpoints',
    where: '`SERVICE_RUN_RETENTION`',
  },
];

/** The limits page: the engine's rows, then each pack's. */
export function limitsMarkdown(packRows: readonly { pack: string; rows: readonly LimitRow[] }[]): string {
  const row = (r: LimitRow) => `| ${r.what} | ${r.limit} | ${r.where} |`;
  const lines = [
    '# Limits',
    '',
    "<!-- Generated from runtime/limits.ts and the packs' `surfaces.limits` by `npm run docs`; a test fails when it is stale. -->",
    '',
    'Everything a request can make grow has a bound; past one, the answer names it.',
    '',
    '## Engine and server',
    '',
    '| what | limit | where |',
    '|---|---|---|',
    ...LIMIT_ROWS.map(row),
  ];
  for (const p of packRows) {
    if (p.rows.length === 0) continue;
    lines.push('', `## ${p.pack}`, '', '| what | limit | where |', '|---|---|---|', ...p.rows.map(row));
  }
  return `${lines.join('\n')}\n`;
}
