// A desk: one per partition, the router of runbook 003's intents (an intent id maps to a desk by
// a fixed hash, as sharded entities do). It validates each intent; an invalid one is emitted to
// the dead-letter subject with its reason and processing goes on; a valid one becomes an order
// actor. A redelivered intent (the same id again, after a crash upstream) is dropped here while
// its id is remembered (the last DEDUPE_WINDOW per desk); older repeats are harmless anyway: they
// re-create the same fills under the same message ids, which the outbox and JetStream drop.
import { defineKind, fnv1a } from '../../../runtime/sdk.js';
import { EXCERPT_CHARS, validateIntent } from '../domain/order-intent.js';
import { EVENTS, type ExecMessage, messageId, SUBJECTS } from './messages.js';

const DEDUPE_WINDOW = 10_000;

/**
 * The same bad message delivered again gets the same id (so it is dead-lettered once): from NATS
 * its stream sequence (distinct for every message, whatever it holds); from a trader its intent id
 * and a hash of its text.
 */
function deadLetterId(seq: number | undefined, intentId: string | undefined, raw: unknown): string {
  if (seq !== undefined) return `dead-letter.seq-${seq}`;
  return messageId(intentId ?? '', `dead-letter.${fnv1a(JSON.stringify(raw) ?? '').toString(16)}`);
}

/** A dead letter carries the intent whole while it is small, else an excerpt of its text. */
const DEAD_LETTER_INTENT_CHARS = 4096;

export interface DeskState {
  seed: number;
  recent: string[];
  seen: Record<string, true>;
}

export const desk = defineKind<DeskState, ExecMessage, { seed: number }>({
  name: 'desk',
  onFailure: 'restart',
  init: (args) => ({ seed: args.seed, recent: [], seen: {} }),
  receive(state, input, ctx) {
    if (input.type !== 'message' || input.body.op !== 'intent') return;
    const { raw, seq, refused, excerpt } = input.body;
    const checked = refused ? ({ ok: false, ...refused } as const) : validateIntent(raw);
    if (!checked.ok) {
      ctx.count('exec.intents_invalid');
      ctx.count(`exec.validation_errors.${checked.reason}`);
      const intentId = 'intentId' in checked ? checked.intentId : undefined;
      const correlationId = 'correlationId' in checked ? checked.correlationId : undefined;
      const text = refused ? undefined : JSON.stringify(raw);
      const whole = text !== undefined && text.length <= DEAD_LETTER_INTENT_CHARS;
      ctx.emit(SUBJECTS.deadLetter, {
        msg_id: deadLetterId(seq, intentId, raw),
        reason: checked.reason,
        message: checked.message,
        intent_id: intentId ?? null,
        correlation_id: correlationId ?? null,
        intent: whole ? raw : null,
        ...(whole ? {} : { intent_excerpt: refused?.excerpt ?? excerpt ?? text?.slice(0, EXCERPT_CHARS) ?? null }),
        ...(seq !== undefined ? { stream_seq: seq } : {}),
      });
      return;
    }
    const id = checked.intent.intent_id;
    if (state.seen[id]) {
      ctx.count('exec.intents_duplicate');
      ctx.emit(EVENTS.duplicate, { intent_id: id });
      return;
    }
    state.seen[id] = true;
    state.recent.push(id);
    if (state.recent.length > DEDUPE_WINDOW) delete state.seen[state.recent.shift()!];
    ctx.count('exec.intents_valid');
    ctx.emit(EVENTS.accepted, { intent_id: id });
    ctx.spawn('order', { intent: checked.intent, seed: state.seed, arrivedAt: ctx.now });
  },
});
