// The order intent a trading agent publishes on `decisions.order_intent` (schema version 1), and
// what an invalid one is refused for. Reasons are a small fixed set, so they can label a metric
// (`exec_sim_validation_errors_total{reason}`); the message says which field and why.
import { z } from 'zod';

/**
 * An id: at most 128 characters, no control characters (a line break cannot travel in a NATS
 * header), no leading or trailing space (nats.js trims header values, so " a" and "a" would meet).
 */
const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\s\p{Cc}](?:[^\p{Cc}]*[^\s\p{Cc}])?$/u, 'no control characters, and no leading or trailing space');

export const orderIntentSchema = z
  .strictObject({
    schema_version: z.literal(1),
    intent_id: id,
    correlation_id: id,
    strategy: z.string().min(1).max(64),
    symbol: z.string().regex(/^[A-Z0-9.\-/]{1,16}$/, 'upper-case ticker'),
    side: z.enum(['buy', 'sell']),
    quantity: z.number().positive().max(1e9),
    order_type: z.enum(['market', 'limit']),
    limit_price: z.number().positive().max(1e9).optional(),
    /** The price the agent saw when it decided: fills slip from it. */
    reference_price: z.number().positive().max(1e9),
    time_in_force: z.enum(['day', 'ioc', 'gtc']).default('day'),
    /** When the agent decided (ISO 8601): carried through, never read as a clock. */
    created_at: z.string().datetime({ offset: true }),
  })
  .refine((i) => i.order_type !== 'limit' || i.limit_price !== undefined, {
    message: 'a limit order needs limit_price',
    path: ['limit_price'],
  });

export type OrderIntent = z.output<typeof orderIntentSchema>;

export const VALIDATION_REASONS = [
  'not_json',
  'missing_correlation_id',
  'missing_field',
  'invalid_field',
  'unknown_field',
  'unsupported_schema_version',
  'limit_price_required',
  'too_large',
  'too_deep',
] as const;
export type ValidationReason = (typeof VALIDATION_REASONS)[number];

export type Validated =
  | { ok: true; intent: OrderIntent }
  | { ok: false; reason: ValidationReason; message: string; intentId?: string; correlationId?: string };

/** Payloads over this many bytes are refused unread (`too_large`): an intent is a few hundred. */
export const MAX_INTENT_BYTES = 64 * 1024;
/** JSON nested deeper than this is refused unparsed (`too_deep`): an intent is two levels deep. */
export const MAX_INTENT_DEPTH = 16;
/** What a dead letter carries of a payload it could not read. */
export const EXCERPT_CHARS = 512;

/** A payload as the service admits it: parsed, or refused before parsing with its reason and an excerpt. */
export type AdmittedPayload =
  | { raw: unknown }
  | { raw: undefined; refused: { reason: 'too_large' | 'too_deep'; message: string; excerpt: string } };

/**
 * Bound what a publisher sends before any of it is parsed or logged: its size, and its nesting
 * depth counted over the text (no recursion, so no nesting can overflow the stack). A payload
 * that is not JSON comes back as `raw: undefined` (the desk dead-letters it `not_json`).
 */
export function admitPayload(text: string): AdmittedPayload {
  const excerpt = text.slice(0, EXCERPT_CHARS);
  if (text.length > MAX_INTENT_BYTES)
    return {
      raw: undefined,
      refused: {
        reason: 'too_large',
        message: `the payload has ${text.length} characters (at most ${MAX_INTENT_BYTES})`,
        excerpt,
      },
    };
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_INTENT_DEPTH)
        return {
          raw: undefined,
          refused: { reason: 'too_deep', message: `the payload nests deeper than ${MAX_INTENT_DEPTH} levels`, excerpt },
        };
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  try {
    return { raw: JSON.parse(text) as unknown };
  } catch {
    return { raw: undefined };
  }
}

/** Check one raw intent (already JSON-parsed; `undefined` for a payload that was not JSON). */
export function validateIntent(raw: unknown): Validated {
  if (raw === undefined || raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return { ok: false, reason: 'not_json', message: 'the payload is not a JSON object' };
  const r = raw as Record<string, unknown>;
  const ids = {
    ...(typeof r.intent_id === 'string' ? { intentId: r.intent_id } : {}),
    ...(typeof r.correlation_id === 'string' ? { correlationId: r.correlation_id } : {}),
  };
  // The runbook's troubleshooting names it: checked first, so it is never hidden behind another reason.
  if (r.correlation_id === undefined || r.correlation_id === '')
    return { ok: false, reason: 'missing_correlation_id', message: 'correlation_id is missing', ...ids };
  if (r.schema_version !== undefined && r.schema_version !== 1)
    return {
      ok: false,
      reason: 'unsupported_schema_version',
      message: `schema_version ${JSON.stringify(r.schema_version)} is not supported (1 is)`,
      ...ids,
    };
  const parsed = orderIntentSchema.safeParse(raw);
  if (parsed.success) return { ok: true, intent: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue.path.join('.') || '(root)';
  const reason: ValidationReason =
    issue.code === 'unrecognized_keys'
      ? 'unknown_field'
      : field === 'limit_price' && issue.code === 'custom'
        ? 'limit_price_required'
        : issue.code === 'invalid_type' && (r as Record<string, unknown>)[field] === undefined
          ? 'missing_field'
          : 'invalid_field';
  return { ok: false, reason, message: `${field}: ${issue.message}`, ...ids };
}
