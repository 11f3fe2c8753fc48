// What reaches a desk: an intent as received (raw: validated there), from NATS or a trader. From
// NATS it carries its stream sequence, and a payload the service would not parse its refusal.
export type ExecMessage = {
  op: 'intent';
  raw: unknown;
  /** The stream sequence it was stored under: a dead letter's id when the payload names none. */
  seq?: number;
  refused?: { reason: 'too_large' | 'too_deep'; message: string; excerpt: string };
  /** The start of a payload that was not JSON, for its dead letter. */
  excerpt?: string;
};

/**
 * The id of every message published about an intent: the intent id's UTF-8 bytes in base64url,
 * then what it is (`.fill.2`, `.reconcile`). One-to-one with the exact id (nats.js trims header
 * values; an encoding of the bytes has nothing to trim) and always a valid header value.
 */
export function messageId(intentId: string, what: string): string {
  return `${Buffer.from(intentId, 'utf8').toString('base64url')}.${what}`;
}

/** The subjects of runbook 003; events the run emits carry them, and the service publishes on them. */
export const SUBJECTS = {
  intent: 'decisions.order_intent',
  fill: 'executions.fill',
  reconcile: 'executions.reconcile',
  /** Invalid intents with their reason (inside the stream's `executions.>`). */
  deadLetter: 'executions.dead_letter',
} as const;

/** Events the run emits that are not published: the service counts them. */
export const EVENTS = {
  accepted: 'exec.accepted',
  duplicate: 'exec.duplicate',
} as const;
