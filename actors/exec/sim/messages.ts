// What reaches a desk: an intent as received (raw: validated there), from NATS or a trader.
export type ExecMessage = { op: 'intent'; raw: unknown };

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
