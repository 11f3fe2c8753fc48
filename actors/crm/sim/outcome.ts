// What a batch-create answer means for its jobs, whichever sink it came from: which inputs were
// created (by objectWriteTraceId), which were refused as invalid, and for the rest a failure with
// its DLQ category and what it does to the limiter (cooldown) and the breaker.

export const DLQ_CATEGORIES = ['auth', 'rate_limit', 'validation', 'server', 'network'] as const;
export type DlqCategory = (typeof DLQ_CATEGORIES)[number];

/** An answer as either sink delivers it: an HTTP status with headers and body, or a network error. */
export interface SinkAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** `timeout`, `reset`, `refused`, `dns`, `network` when no answer came. */
  error?: string;
}

export interface BatchFailure {
  category: DlqCategory;
  /** Deterministic refusals (validation) go to the DLQ at once: retrying only delays them. */
  retryable: boolean;
  /** A 429, or HubSpot's throttling 500: start the cooldown. */
  throttle: boolean;
  /** The cooldown the answer asked for (`Retry-After`, in seconds), when it did. */
  retryAfterMs?: number;
  /** Counts against the breaker (5xx and network; not 4xx, which a healthy CRM answers). */
  breaker: boolean;
  message: string;
}

export interface BatchOutcome {
  /** For metrics: the HTTP status or the network error. */
  label: string;
  headers?: Record<string, string>;
  /** objectWriteTraceId -> CRM id. */
  created: Record<string, string>;
  /** objectWriteTraceId -> why the CRM refused that input. */
  invalid: Record<string, string>;
  /** What happened to every input in neither map. */
  failure?: BatchFailure;
}

interface CreatedResult {
  id?: string;
  objectWriteTraceId?: string;
}
interface InputError {
  message?: string;
  context?: { objectWriteTraceId?: string[] };
}

export function classifyAnswer(a: SinkAnswer): BatchOutcome {
  const created: Record<string, string> = {};
  const invalid: Record<string, string> = {};
  if (a.status === undefined) {
    const error = a.error ?? 'network';
    return {
      label: error,
      created,
      invalid,
      failure: { category: 'network', retryable: true, throttle: false, breaker: true, message: `no answer: ${error}` },
    };
  }
  const body = (a.body ?? {}) as {
    results?: CreatedResult[];
    errors?: InputError[];
    message?: string;
    category?: string;
    policyName?: string;
  };
  const outcome: BatchOutcome = { label: String(a.status), headers: a.headers, created, invalid };
  for (const r of Array.isArray(body.results) ? body.results : [])
    if (r.objectWriteTraceId && r.id) created[r.objectWriteTraceId] = r.id;
  for (const e of Array.isArray(body.errors) ? body.errors : [])
    for (const trace of e.context?.objectWriteTraceId ?? []) invalid[trace] = e.message ?? 'invalid input';
  const message = `${a.status}${body.category ? ` ${body.category}` : ''}: ${String(body.message ?? '').slice(0, 200)}`;
  const throttling =
    a.status === 429 || (a.status >= 500 && (body.category === 'RATE_LIMITS' || body.policyName !== undefined));
  if (a.status >= 200 && a.status < 300) return outcome;
  if (throttling) {
    // Retry-After in seconds (an HTTP date would need the wall clock: the default cooldown then).
    const retryAfterS = Number(a.headers?.['retry-after']);
    const retryAfterMs =
      Number.isFinite(retryAfterS) && retryAfterS >= 0 && retryAfterS <= 3600 ? retryAfterS * 1000 : undefined;
    outcome.failure = {
      category: 'rate_limit',
      retryable: true,
      throttle: true,
      breaker: false,
      message,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  } else if (a.status === 401 || a.status === 403)
    outcome.failure = { category: 'auth', retryable: true, throttle: false, breaker: false, message };
  else if (a.status >= 400 && a.status < 500)
    outcome.failure = { category: 'validation', retryable: false, throttle: false, breaker: false, message };
  else outcome.failure = { category: 'server', retryable: true, throttle: false, breaker: true, message };
  return outcome;
}
