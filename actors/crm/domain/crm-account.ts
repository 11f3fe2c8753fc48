// A HubSpot-like CRM account as a pure function of its state: batch creates with HubSpot's rate
// limits (rolling 10 s per tier, daily), response headers, error shapes and injectable faults.
// One model serves both sinks: the in-process CRM actor (sim clock, seeded faults) and the mock
// server `tickwork crm serve-mock` (wall clock), so the simulation and the HTTP path disagree only
// where a network really can.
import type { Rng } from '../../../runtime/sdk.js';

export const OBJECT_TYPES = ['contacts', 'notes', 'calls', 'tasks', 'tickets'] as const;
export type CrmObjectType = (typeof OBJECT_TYPES)[number];

/** Requests per rolling 10 s by tier (HubSpot's private-app limits) and per day. */
export const TIERS = {
  starter: { tenSecondly: 100, daily: 250_000 },
  professional: { tenSecondly: 190, daily: 650_000 },
  enterprise: { tenSecondly: 250, daily: 1_000_000 },
} as const;
export type Tier = keyof typeof TIERS;

export const WINDOW_MS = 10_000;
export const DAY_MS = 86_400_000;
/** HubSpot's batch create takes at most 100 inputs. */
export const MAX_BATCH_INPUTS = 100;

/** Chance per request of each fault; 0 turns it off. */
export interface FaultRates {
  /** A 502/503/504 before the write. */
  serverError: number;
  /** No answer in time; half of them after the write was applied (the client cannot tell). */
  timeout: number;
  /** The connection reset; half of them after the write. */
  reset: number;
  /** 401 EXPIRED_AUTHENTICATION (an OAuth token past its expiry). */
  expiredToken: number;
  /** A 500 that is really throttling (HubSpot's habit under load). */
  throttle500: number;
}

export const NO_FAULTS: FaultRates = { serverError: 0, timeout: 0, reset: 0, expiredToken: 0, throttle500: 0 };

export interface AccountConfig {
  tier: Tier;
  /** Overrides the tier's daily limit (drills of the DAILY policy). */
  dailyLimit?: number;
  faults: FaultRates;
  /** Object types the token may write (403 MISSING_SCOPES otherwise); all when absent. */
  scopes?: readonly CrmObjectType[];
}

/** Plain, serialisable: it lives in an actor's state. */
export interface AccountState {
  /** Times of the requests counted in the rolling window, oldest first. */
  window: number[];
  day: number;
  dayCount: number;
  nextId: number;
  /** objectWriteTraceId -> id: a repeated write returns the object it made instead of a second one. */
  traces: Record<string, string>;
  created: Record<CrmObjectType, number>;
  /** Repeated writes answered with the existing object. */
  deduplicated: number;
  /** Requests refused with a 429, by policy. */
  rejected: { TEN_SECONDLY_ROLLING: number; DAILY: number };
}

export interface CrmInput {
  properties: Record<string, string>;
  associations?: { to: { id: string }; types: { associationCategory: string; associationTypeId: number }[] }[];
  objectWriteTraceId?: string;
}

export interface CrmResponse {
  kind: 'response';
  status: number;
  headers: Record<string, string>;
  body: unknown;
}
/** No response: a timeout or a reset; `applied` says whether the write happened anyway. */
export interface CrmNoResponse {
  kind: 'timeout' | 'reset';
  applied: boolean;
}
export type CrmReply = CrmResponse | CrmNoResponse;

export function newAccountState(): AccountState {
  return {
    window: [],
    day: 0,
    dayCount: 0,
    nextId: 1,
    traces: {},
    created: { contacts: 0, notes: 0, calls: 0, tasks: 0, tickets: 0 },
    deduplicated: 0,
    rejected: { TEN_SECONDLY_ROLLING: 0, DAILY: 0 },
  };
}

export function isObjectType(s: string): s is CrmObjectType {
  return (OBJECT_TYPES as readonly string[]).includes(s);
}

/**
 * `POST /crm/v3/objects/{type}/batch/create` at time `nowMs`. `authorized` is the token check the
 * caller made (a sim has no token). Rate limits count the request before faults, as a real
 * gateway does; rejected (429) requests do not count.
 */
export function batchCreate(
  state: AccountState,
  config: AccountConfig,
  nowMs: number,
  type: CrmObjectType,
  body: unknown,
  rng: Rng,
  authorized = true,
): CrmReply {
  const limits = TIERS[config.tier];
  const daily = config.dailyLimit ?? limits.daily;
  const day = Math.floor(nowMs / DAY_MS);
  if (day !== state.day) {
    state.day = day;
    state.dayCount = 0;
  }
  while (state.window.length > 0 && state.window[0] <= nowMs - WINDOW_MS) state.window.shift();
  const headers = (): Record<string, string> => ({
    'x-hubspot-ratelimit-max': String(limits.tenSecondly),
    'x-hubspot-ratelimit-remaining': String(Math.max(0, limits.tenSecondly - state.window.length)),
    'x-hubspot-ratelimit-interval-milliseconds': String(WINDOW_MS),
    'x-hubspot-ratelimit-daily': String(daily),
    'x-hubspot-ratelimit-daily-remaining': String(Math.max(0, daily - state.dayCount)),
  });
  const reply = (status: number, payload: unknown): CrmResponse => ({
    kind: 'response',
    status,
    headers: headers(),
    body: payload,
  });
  const correlationId = `c-${state.nextId}-${state.window.length}`;

  if (!authorized)
    return reply(401, errorBody('INVALID_AUTHENTICATION', 'Authentication credentials not found.', correlationId));
  if (config.scopes && !config.scopes.includes(type)) {
    return reply(
      403,
      errorBody(
        'MISSING_SCOPES',
        `This app hasn't been granted all required scopes to make this call: crm.objects.${type}.write`,
        correlationId,
      ),
    );
  }
  if (state.dayCount >= daily) {
    state.rejected.DAILY++;
    return reply(429, {
      ...errorBody('RATE_LIMITS', 'You have reached your daily limit.', correlationId),
      policyName: 'DAILY',
    });
  }
  if (state.window.length >= limits.tenSecondly) {
    state.rejected.TEN_SECONDLY_ROLLING++;
    return reply(429, {
      ...errorBody('RATE_LIMITS', 'You have reached your ten_secondly_rolling limit.', correlationId),
      policyName: 'TEN_SECONDLY_ROLLING',
    });
  }
  state.window.push(nowMs);
  state.dayCount++;

  // Faults in a fixed order of draws, so a seed gives the same faults whatever the rates.
  const f = config.faults;
  const draws = {
    expired: rng.float(),
    server: rng.float(),
    throttle: rng.float(),
    timeout: rng.float(),
    reset: rng.float(),
    applied: rng.chance(0.5),
  };
  if (draws.expired < f.expiredToken)
    return reply(
      401,
      errorBody('EXPIRED_AUTHENTICATION', 'The OAuth token used to make this call expired.', correlationId),
    );
  if (draws.server < f.serverError)
    return reply(
      rng.pick([502, 503, 504]),
      errorBody('SERVICE_UNAVAILABLE', 'The service is temporarily unavailable.', correlationId),
    );
  if (draws.throttle < f.throttle500) {
    return reply(500, {
      ...errorBody('RATE_LIMITS', 'internal error (secondly limit)', correlationId),
      policyName: 'TEN_SECONDLY_ROLLING',
    });
  }
  const lostAnswer: CrmNoResponse['kind'] | undefined =
    draws.timeout < f.timeout ? 'timeout' : draws.reset < f.reset ? 'reset' : undefined;
  if (lostAnswer && !draws.applied) return { kind: lostAnswer, applied: false };

  const inputs = (body as { inputs?: unknown } | null)?.inputs;
  if (!Array.isArray(inputs) || inputs.length === 0 || inputs.length > MAX_BATCH_INPUTS) {
    return reply(
      400,
      errorBody('VALIDATION_ERROR', `inputs: between 1 and ${MAX_BATCH_INPUTS} inputs expected`, correlationId),
    );
  }
  const results: unknown[] = [];
  const errors: unknown[] = [];
  for (const raw of inputs as CrmInput[]) {
    const problem = invalidInput(state, type, raw);
    if (problem) {
      errors.push({
        status: 'error',
        category: 'VALIDATION_ERROR',
        message: problem,
        context: { objectWriteTraceId: [raw?.objectWriteTraceId ?? ''] },
      });
      continue;
    }
    const trace = raw.objectWriteTraceId;
    const existing = trace !== undefined ? state.traces[trace] : undefined;
    if (existing !== undefined) {
      state.deduplicated++;
      results.push({
        id: existing,
        properties: raw.properties,
        createdAtMs: nowMs,
        archived: false,
        objectWriteTraceId: trace,
      });
      continue;
    }
    const id = String(state.nextId++);
    if (trace !== undefined) state.traces[trace] = id;
    state.created[type]++;
    results.push({ id, properties: raw.properties, createdAtMs: nowMs, archived: false, objectWriteTraceId: trace });
  }
  if (lostAnswer) return { kind: lostAnswer, applied: true };
  const status = errors.length === 0 ? 201 : results.length === 0 ? 400 : 207;
  if (status === 400)
    return reply(400, { ...errorBody('VALIDATION_ERROR', 'every input was invalid', correlationId), errors });
  return reply(status, { status: 'COMPLETE', results, ...(errors.length ? { numErrors: errors.length, errors } : {}) });
}

function errorBody(category: string, message: string, correlationId: string) {
  return { status: 'error', message, correlationId, category };
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;

function invalidInput(state: AccountState, type: CrmObjectType, input: CrmInput | undefined): string | undefined {
  if (!input || typeof input.properties !== 'object' || input.properties === null)
    return 'properties: an object expected';
  if (type === 'contacts') {
    const email = input.properties.email;
    return typeof email === 'string' && EMAIL.test(email)
      ? undefined
      : `Property values were not valid: email '${String(email)}' is not a valid email address`;
  }
  const to = input.associations?.[0]?.to?.id;
  if (to === undefined) return 'associations: a contact to associate with expected';
  return Number(to) >= 1 && Number(to) < state.nextId ? undefined : `associations: contact ${to} does not exist`;
}
