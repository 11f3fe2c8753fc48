// The order intent a trading agent publishes on `decisions.order_intent` (schema version 1), and
// what an invalid one is refused for. Reasons are a small fixed set, so they can label a metric
// (`exec_sim_validation_errors_total{reason}`); the message says which field and why.
import { z } from 'zod';

const id = z.string().min(1).max(128);

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
] as const;
export type ValidationReason = (typeof VALIDATION_REASONS)[number];

export type Validated =
  | { ok: true; intent: OrderIntent }
  | { ok: false; reason: ValidationReason; message: string; intentId?: string; correlationId?: string };

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
