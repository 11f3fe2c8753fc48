// One CRM simulation as an actor: the planner (one-hour segments expanded once each, records
// arriving on schedule whatever the CRM does, as k6's arrival-rate executors; budgets and
// thinning decided in record order) and the gateway (jobs batched per type, the rate limiter,
// cooldown and breaker in front of the sink, retries with backoff, the DLQ). Every generated
// record and activity ends created, in the DLQ with a category, or skipped by a recorded
// decision: the counters crm.generated = crm.created + (crm.dlq - crm.replayed) + crm.skipped.
import { type ActorContext, defineKind } from '../../../runtime/sdk.js';
import {
  newBreaker,
  breakerFailure,
  breakerReadyAt,
  breakerSent,
  breakerSuccess,
  type BreakerState,
} from './circuit-breaker.js';
import { classifyAnswer, type BatchFailure, type DlqCategory, type SinkAnswer } from './outcome.js';
import {
  crmPolicy,
  type JobType,
  retrySpecOf,
  SECONDARY_TYPES,
  secondarySpecOf,
  type SecondaryType,
} from './policies.js';
import { segmentArrivals, segmentCounts } from './distribution.js';
import { CRM_ID, type CrmMessage } from './messages.js';
import {
  newLimiter,
  nextSendAt,
  recordSend,
  startCooldown,
  tuneFromHeaders,
  type LimiterState,
} from './rate-limiter.js';
import { crmInput, jobKey, OBJECT_PATH, planRecord, type PlannedActivity } from './record-plan.js';
import { TIERS } from '../domain/crm-account.js';

export interface Job {
  key: string;
  record: number;
  type: JobType;
  ordinal: number;
  /** Attempts made so far. */
  attempts: number;
  maxAttempts: number;
  dueMs: number;
  seq: number;
  invalid?: boolean;
  /** A contact's activities, queued once it exists (and riding with it into the DLQ otherwise). */
  dependents?: PlannedActivity[];
  /** An activity's contact, as the CRM named it. */
  contactId?: string;
}

export interface DlqEntry {
  key: string;
  record: number;
  type: JobType;
  ordinal: number;
  category: DlqCategory;
  attempts: number;
  message: string;
  atMs: number;
  /** Generated items this entry holds: the job and, for a contact, its activities. */
  items: number;
  invalid?: boolean;
  dependents?: PlannedActivity[];
  contactId?: string;
}

interface InFlight {
  id: string;
  jobs: Job[];
  sentMs: number;
  /** In-process sink only: past it the request counts as a network timeout. */
  deadlineMs: number;
}

export interface SimulationState {
  simulation: string;
  seed: number;
  windowMs: number;
  counts: number[];
  /** Segments expanded so far (0..expanded-1); segment N+1 is expanded when N's last record has arrived. */
  expanded: number;
  /** Arrival times of the current segment's records, ascending; those before `arrived` have come. */
  arrivals: number[];
  arrived: number;
  nextRecord: number;
  budgets: Record<SecondaryType, number>;
  keep: number;
  /** Thinning is judged at most once per THINNING_EVERY_MS, so a backlog hovering at its mark does not flap. */
  nextThinningMs: number;
  queue: Job[];
  seq: number;
  inflight: InFlight[];
  nextReqId: number;
  /** Sim time of the last step, for gauges measured between steps. */
  lastStepMs: number;
  limiter: LimiterState;
  breaker: BreakerState;
  dlq: Record<string, DlqEntry>;
}

type Ctx = ActorContext<CrmMessage>;

export const simulation = defineKind<SimulationState, CrmMessage, { seed: number }>({
  name: 'simulation',
  init: ({ seed }) => ({
    simulation: '',
    seed,
    windowMs: 0,
    counts: [],
    expanded: 0,
    arrivals: [],
    arrived: 0,
    nextRecord: 0,
    budgets: { note: 0, call: 0, task: 0, ticket: 0 },
    keep: 1,
    nextThinningMs: 0,
    queue: [],
    seq: 0,
    inflight: [],
    nextReqId: 1,
    lastStepMs: 0,
    limiter: newLimiter(TIERS.professional.tenSecondly, TIERS.professional.daily),
    breaker: newBreaker(),
    dlq: {},
  }),
  onFailure: 'escalate',
  receive(s, input, ctx) {
    if (input.type === 'start') begin(s, ctx);
    else if (input.type === 'message' && input.body.kind === 'reply') {
      const { reply, reqId } = input.body;
      answer(
        s,
        ctx,
        String(reqId),
        reply.kind === 'response'
          ? { status: reply.status, headers: reply.headers, body: reply.body }
          : { error: reply.kind },
      );
    } else if (input.type === 'message' && input.body.kind === 'dlq-replay') replay(s, ctx, input.body);
    else if (input.type === 'effect-result') answer(s, ctx, input.effectId, input.value as SinkAnswer);
    step(s, ctx);
  },
});

function begin(s: SimulationState, ctx: Ctx): void {
  s.simulation = crmPolicy(ctx, 'simulation');
  s.windowMs = Math.round(crmPolicy(ctx, 'windowHours') * 3_600_000);
  s.counts = segmentCounts(
    crmPolicy(ctx, 'totalRecords'),
    s.windowMs,
    crmPolicy(ctx, 'distribution'),
    Date.parse(crmPolicy(ctx, 'startTime')),
  );
  for (const type of SECONDARY_TYPES) s.budgets[type] = secondarySpecOf(ctx, type).budget;
  const tier = TIERS[crmPolicy(ctx, 'tier')];
  const daily = crmPolicy(ctx, 'dailyLimit');
  s.limiter = newLimiter(tier.tenSecondly, daily > 0 ? daily : tier.daily);
  const replayOf = crmPolicy(ctx, 'replay');
  if (replayOf.entries.length > 0) {
    // A replay run: the DLQ entries it was given, and no records of its own.
    s.counts = [];
    for (const e of replayOf.entries as DlqEntry[]) s.dlq[e.key] = e;
    replay(s, ctx, { kind: 'dlq-replay', limit: replayOf.entries.length, useFullRetry: replayOf.useFullRetry });
    return;
  }
  expandNext(s, ctx);
}

/** Expand the next segment (and any empty ones after it): exactly once each, as state checkpointed with the run. */
function expandNext(s: SimulationState, ctx: Ctx): void {
  while (s.arrived === s.arrivals.length && s.expanded < s.counts.length) {
    const index = s.expanded++;
    const count = s.counts[index];
    s.arrivals = segmentArrivals(s.seed, s.simulation, index, count, s.windowMs);
    s.arrived = 0;
    ctx.count('crm.segments_expanded');
    ctx.emit('crm.segment', {
      index,
      count,
      firstRecord: s.nextRecord,
      startMs: index * 3_600_000,
      expandedAtMs: ctx.now,
    });
  }
}

function step(s: SimulationState, ctx: Ctx): void {
  s.lastStepMs = ctx.now;
  while (s.arrived < s.arrivals.length && s.arrivals[s.arrived] <= ctx.now) {
    arrive(s, ctx, s.arrivals[s.arrived++]);
    if (s.arrived === s.arrivals.length) expandNext(s, ctx);
  }
  for (const f of [...s.inflight]) if (f.deadlineMs <= ctx.now) answer(s, ctx, f.id, { error: 'timeout' });
  rethin(s, ctx);
  const wait = dispatch(s, ctx);
  let next = Math.min(wait, s.arrivals[s.arrived] ?? Infinity);
  for (const f of s.inflight) if (Number.isFinite(f.deadlineMs)) next = Math.min(next, f.deadlineMs);
  if (Number.isFinite(next)) ctx.wakeAt(Math.max(next, ctx.now + 1));
}

function arrive(s: SimulationState, ctx: Ctx, atMs: number): void {
  const record = s.nextRecord++;
  const secondary = Object.fromEntries(SECONDARY_TYPES.map((t) => [t, secondarySpecOf(ctx, t)])) as Record<
    SecondaryType,
    ReturnType<typeof secondarySpecOf>
  >;
  const plan = planRecord(
    s.seed,
    s.simulation,
    record,
    secondary,
    crmPolicy(ctx, 'secondaryDelayMs'),
    crmPolicy(ctx, 'invalidShare'),
  );
  ctx.count('crm.generated');
  ctx.count('crm.records');
  if (plan.thinDraw >= s.keep) {
    ctx.count('crm.skipped');
    ctx.count('crm.skipped.thinning');
    return;
  }
  const dependents: PlannedActivity[] = [];
  for (const a of plan.activities) {
    ctx.count('crm.generated');
    ctx.count(`crm.scheduled.${a.type}`);
    if (s.budgets[a.type] <= 0) {
      ctx.count('crm.skipped');
      ctx.count('crm.skipped.budget');
      continue;
    }
    s.budgets[a.type]--;
    dependents.push(a);
  }
  enqueue(s, ctx, {
    key: jobKey(s.simulation, record, 'contact', 0),
    record,
    type: 'contact',
    ordinal: 0,
    attempts: 0,
    maxAttempts: 0,
    dueMs: atMs,
    seq: 0,
    invalid: plan.invalidEmail || undefined,
    dependents,
  });
}

function enqueue(s: SimulationState, ctx: Ctx, job: Job): void {
  job.seq = s.seq++;
  job.maxAttempts = retrySpecOf(ctx, job.type).attempts;
  // Binary insert by (dueMs, seq): the queue stays in a total order.
  let lo = 0;
  let hi = s.queue.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const q = s.queue[mid];
    if (q.dueMs < job.dueMs || (q.dueMs === job.dueMs && q.seq < job.seq)) lo = mid + 1;
    else hi = mid;
  }
  s.queue.splice(lo, 0, job);
}

/** Send what the limiter and breaker allow; returns the next time sending could resume. */
function dispatch(s: SimulationState, ctx: Ctx): number {
  const batchSize = crmPolicy(ctx, 'batchSize');
  const batchWaitMs = crmPolicy(ctx, 'batchWaitMs');
  while (s.queue.length > 0) {
    const head = s.queue[0];
    if (head.dueMs > ctx.now) return head.dueMs;
    if (s.inflight.length >= crmPolicy(ctx, 'maxInFlight')) return Infinity;
    const limitAt = nextSendAt(s.limiter, ctx.now, crmPolicy(ctx, 'windowHeadroom'));
    if (limitAt > ctx.now) return limitAt;
    const breakerAt = breakerReadyAt(s.breaker, ctx.now);
    if (breakerAt > ctx.now) return breakerAt;
    const picked: number[] = [];
    for (let i = 0; i < s.queue.length && s.queue[i].dueMs <= ctx.now && picked.length < batchSize; i++)
      if (s.queue[i].type === head.type) picked.push(i);
    if (picked.length < batchSize && head.dueMs + batchWaitMs > ctx.now) return head.dueMs + batchWaitMs;
    const batch = picked.map((i) => s.queue[i]);
    // Usually the queue's head itself: one splice, not a pass over a backlog that may be long.
    if (picked[picked.length - 1] === picked.length - 1) s.queue.splice(0, picked.length);
    else for (let k = picked.length - 1; k >= 0; k--) s.queue.splice(picked[k], 1);
    send(s, ctx, batch);
  }
  return Infinity;
}

function send(s: SimulationState, ctx: Ctx, jobs: Job[]): void {
  const type = OBJECT_PATH[jobs[0].type];
  const inputs = jobs.map((j) => crmInput(j, j.contactId, s.simulation));
  for (const j of jobs) j.attempts++;
  recordSend(s.limiter, ctx.now);
  breakerSent(s.breaker);
  ctx.count('crm.requests');
  if (crmPolicy(ctx, 'sink') === 'http') {
    const id = ctx.effect('crm-batch', { type, inputs, simulation: s.simulation });
    s.inflight.push({ id, jobs, sentMs: ctx.now, deadlineMs: Infinity });
  } else {
    const reqId = s.nextReqId++;
    ctx.send(CRM_ID, { kind: 'batch', reqId, type, body: { inputs } });
    s.inflight.push({
      id: String(reqId),
      jobs,
      sentMs: ctx.now,
      deadlineMs: ctx.now + crmPolicy(ctx, 'requestTimeoutMs'),
    });
  }
}

function answer(s: SimulationState, ctx: Ctx, id: string, a: SinkAnswer): void {
  const at = s.inflight.findIndex((f) => f.id === id);
  if (at < 0) {
    // An answer after its request timed out: the jobs were retried (the CRM deduplicates by trace id).
    ctx.count('crm.late_answers');
    return;
  }
  const [flight] = s.inflight.splice(at, 1);
  const outcome = classifyAnswer(a ?? { error: 'network' });
  ctx.observe('crm.request_ms', ctx.now - flight.sentMs);
  ctx.count(`crm.responses.${outcome.label}`);
  tuneFromHeaders(s.limiter, outcome.headers);
  const failure = outcome.failure;
  if (failure?.throttle) {
    startCooldown(s.limiter, ctx.now, failure.retryAfterMs ?? crmPolicy(ctx, 'cooldownMs'));
    ctx.count('crm.throttled');
  }
  if (failure?.breaker) {
    const was = s.breaker.status;
    breakerFailure(s.breaker, ctx.now, crmPolicy(ctx, 'breaker'));
    if (s.breaker.status === 'open' && was !== 'open') {
      ctx.count('crm.breaker_opened');
      ctx.emit('crm.breaker', { status: 'open', untilMs: s.breaker.openUntilMs });
    }
  } else if (!failure?.throttle) {
    if (s.breaker.status === 'half_open') ctx.emit('crm.breaker', { status: 'closed' });
    breakerSuccess(s.breaker);
  } else s.breaker.probeInFlight = false;
  for (const job of flight.jobs) {
    const createdId = outcome.created[job.key];
    if (createdId !== undefined) created(s, ctx, job, createdId);
    else if (outcome.invalid[job.key] !== undefined) toDlq(s, ctx, job, 'validation', outcome.invalid[job.key]);
    else
      fail(
        s,
        ctx,
        job,
        failure ?? {
          category: 'server',
          retryable: true,
          throttle: false,
          breaker: false,
          message: `${outcome.label}: input missing from the answer`,
        },
      );
  }
}

function created(s: SimulationState, ctx: Ctx, job: Job, crmId: string): void {
  ctx.count('crm.created');
  ctx.count(`crm.created.${job.type}`);
  for (const a of job.type === 'contact' ? (job.dependents ?? []) : []) {
    const key = jobKey(s.simulation, job.record, a.type, a.ordinal);
    enqueue(s, ctx, {
      key,
      record: job.record,
      type: a.type,
      ordinal: a.ordinal,
      attempts: 0,
      maxAttempts: 0,
      dueMs: ctx.now + a.delayMs,
      seq: 0,
      contactId: crmId,
    });
  }
}

function fail(s: SimulationState, ctx: Ctx, job: Job, failure: BatchFailure): void {
  if (!failure.retryable || job.attempts >= job.maxAttempts) {
    toDlq(s, ctx, job, failure.category, failure.message);
    return;
  }
  const backoff = retrySpecOf(ctx, job.type).backoffMs;
  // A list shorter than attempts - 1 repeats its last value (the runbook's padding rule).
  const delay = backoff.length === 0 ? 0 : backoff[Math.min(job.attempts - 1, backoff.length - 1)];
  ctx.count('crm.retries');
  ctx.count(`crm.retries.${job.type}`);
  // Off the queue and out of flight: the same job goes back, enqueue giving it its new place.
  job.dueMs = ctx.now + delay;
  enqueue(s, ctx, job);
}

function toDlq(s: SimulationState, ctx: Ctx, job: Job, category: DlqCategory, message: string): void {
  const items = 1 + (job.dependents?.length ?? 0);
  const { key, record, type, ordinal, attempts, invalid, dependents, contactId } = job;
  const entry: DlqEntry = {
    key,
    record,
    type,
    ordinal,
    category,
    attempts,
    message,
    atMs: ctx.now,
    items,
    invalid,
    dependents,
    contactId,
  };
  s.dlq[job.key] = entry;
  ctx.count('crm.dlq', items);
  ctx.count(`crm.dlq.${category}`, items);
  ctx.emit('crm.dlq', entry);
}

/** Put DLQ entries back on the queue: oldest first, the categories asked for, at most `limit`. */
function replay(s: SimulationState, ctx: Ctx, req: Extract<CrmMessage, { kind: 'dlq-replay' }>): void {
  const chosen = Object.values(s.dlq)
    .filter((e) => !req.categories || req.categories.includes(e.category))
    .sort((a, b) => a.atMs - b.atMs || (a.key < b.key ? -1 : 1))
    .slice(0, req.limit);
  for (const e of chosen) {
    delete s.dlq[e.key];
    ctx.count('crm.replayed', e.items);
    ctx.count(`crm.replayed.${e.category}`, e.items);
    const { key, record, type, ordinal, invalid, dependents, contactId } = e;
    const job: Job = {
      key,
      record,
      type,
      ordinal,
      attempts: 0,
      maxAttempts: 0,
      dueMs: ctx.now,
      seq: 0,
      invalid,
      dependents,
      contactId,
    };
    enqueue(s, ctx, job);
    // One attempt unless the operator asked for the full retry profile.
    if (!req.useFullRetry) job.maxAttempts = 1;
  }
  ctx.emit('crm.replay', { keys: chosen.map((e) => e.key), useFullRetry: req.useFullRetry });
}

const THINNING_EVERY_MS = 60_000;

/** Thinning: fewer new records while the backlog is past its high mark or the breaker is open. */
function rethin(s: SimulationState, ctx: Ctx): void {
  if (ctx.now < s.nextThinningMs) return;
  s.nextThinningMs = ctx.now + THINNING_EVERY_MS;
  const { backlogHigh, minKeep } = crmPolicy(ctx, 'thinning');
  let totalWaiting = s.queue.length;
  for (const f of s.inflight) totalWaiting += f.jobs.length;
  let keep = totalWaiting > backlogHigh ? Math.max(minKeep, backlogHigh / totalWaiting) : 1;
  if (s.breaker.status !== 'closed') keep = Math.min(keep, 0.5);
  // In steps of 5%: a change of a percent is not worth an event.
  keep = Math.max(minKeep, Math.round(keep * 20) / 20);
  if (keep === s.keep) return;
  const before = s.keep;
  s.keep = keep;
  ctx.count('crm.thinning_changes');
  ctx.emit('crm.thinning', {
    before,
    after: keep,
    factor: Math.round((keep / before) * 1000) / 1000,
    totalWaiting,
    breaker: s.breaker.status,
  });
}
