// A synthetic sales rep (the demo's load model): every few sim minutes it opens a quote, mostly
// one of its own book, types a `/quote simulate` command, reads the ranked comparison, and
// sometimes promotes the top variant after a while (by then a colleague working the same quote
// may have changed it: the promotion is refused as stale). The comparison is computed here, in the tick, by the same pure CPQ code the desk runs,
// and computed twice: the second must equal the first (the runbook's parity check).
import { type ActorContext, canonicalJson, defineKind, standardNormal } from '../../../runtime/sdk.js';
import type { Change } from '../domain/simulator/grammar.js';
import { parseSimulate, SimulateError } from '../domain/simulator/grammar.js';
import { evaluateBase, evaluateVariant, rankVariants } from '../domain/simulator/variants.js';
import { SAMPLE_CATALOGUE } from '../domain/cpq/sample-catalogue.js';
import type { Quote } from '../domain/cpq/catalogue.js';
import { writeCommand } from './command-writer.js';
import type { DemoMessage } from './messages.js';
import { demoPolicy } from './policies.js';

const MINUTE_MS = 60_000;

export interface RepState {
  /** Which rep this is: its book is the quotes q with q mod reps = index. */
  index: number;
  /** A promotion the rep is thinking over: which quote, at which version, with which changes. */
  pending: { quote: number; version: number; changes: Change[]; variantKey: string; runKey: string } | null;
  requests: number;
}

type Ctx = ActorContext<DemoMessage>;

export const rep = defineKind<RepState, DemoMessage, { index: number }>({
  name: 'rep',
  onFailure: 'restart',
  init: (args) => ({ index: args.index, pending: null, requests: 0 }),
  receive(state, input, ctx) {
    if (input.type === 'start') return thinkThenAct(ctx);
    if (input.type === 'wake') {
      if (state.pending) {
        const p = state.pending;
        ctx.count('dealflight.promotions_requested');
        ctx.emit('dealflight.promotion_requested', { scenario_run_id: p.runKey, variant_key: p.variantKey });
        ctx.send(p.quote, { op: 'promote', version: p.version, changes: p.changes });
        return;
      }
      ctx.send(nextQuote(state.index, ctx), { op: 'get' });
      return;
    }
    if (input.type !== 'message') return;
    const body = input.body;
    if (body.op === 'quote') return compare(state, input.from, body.quote, body.version, ctx);
    if (body.op === 'promoted' || body.op === 'stale') {
      const p = state.pending!;
      state.pending = null;
      if (body.op === 'promoted') {
        ctx.count('dealflight.promotions_applied');
        ctx.emit('dealflight.promotion_applied', { scenario_run_id: p.runKey, variant_key: p.variantKey });
      } else {
        ctx.count('dealflight.promotions_failed');
        ctx.emit('dealflight.error_occurred', {
          scenario_run_id: p.runKey,
          variant_key: p.variantKey,
          error_code: 'SIM_STALE_QUOTE',
        });
      }
      thinkThenAct(ctx);
    }
  },
});

function compare(state: RepState, quoteActor: number, quote: Quote, version: number, ctx: Ctx): void {
  state.requests++;
  const runKey = `${ctx.id}-${state.requests}`;
  const text = writeCommand(ctx.rng, quote.id, demoPolicy(ctx, 'maxVariants'), demoPolicy(ctx, 'typoChance'));
  ctx.count('dealflight.requests');
  let command: ReturnType<typeof parseSimulate>;
  try {
    command = parseSimulate(text, { maxVariants: demoPolicy(ctx, 'maxVariants'), maxChangesPerVariant: 8 });
  } catch (err) {
    if (!(err instanceof SimulateError)) throw err;
    ctx.count('dealflight.failures');
    ctx.observe('dealflight.latency_ms', serviceTimeMs(0, ctx));
    ctx.emit('dealflight.error_occurred', { quote_id: quote.id, error_code: err.code });
    return thinkThenAct(ctx);
  }
  const evaluate = () => {
    const baseEval = evaluateBase(SAMPLE_CATALOGUE, quote);
    return rankVariants(command.variants.map((v) => evaluateVariant(SAMPLE_CATALOGUE, quote, baseEval, v)));
  };
  const variants = evaluate();
  ctx.count('dealflight.parity_checks');
  // Counted even when 0, so the parity gate always has its data.
  ctx.count('dealflight.parity_mismatches', canonicalJson(evaluate()) === canonicalJson(variants) ? 0 : 1);
  const approvals = variants.filter((v) => v.policy?.status === 'approval_required').length;
  const latencyMs = serviceTimeMs(variants.length, ctx);
  ctx.count('dealflight.success');
  ctx.count('dealflight.variants', variants.length);
  ctx.count('dealflight.approval_required', approvals);
  if (variants.some((v) => v.policy?.status === 'auto_approved')) ctx.count('dealflight.with_auto_approved');
  ctx.observe('dealflight.latency_ms', latencyMs);
  ctx.emit('dealflight.comparison_rendered', {
    quote_id: quote.id,
    scenario_run_id: runKey,
    variant_count: variants.length,
    approval_required_variant_count: approvals,
    latency_ms: latencyMs,
  });
  const top = variants[0];
  if (top.priced && ctx.rng.chance(demoPolicy(ctx, 'promoteChance'))) {
    // The rep reads the card for a while before clicking Promote.
    state.pending = { quote: quoteActor, version, changes: top.changes, variantKey: top.key, runKey };
    ctx.wakeAt(ctx.now + ctx.rng.int(1, 10) * MINUTE_MS);
    return;
  }
  thinkThenAct(ctx);
}

/**
 * The quote a rep opens next: one of its own book, or (with the shared-quote chance, or when the
 * rep has no book because there are fewer quotes than reps) any quote. Quote q has actor id q.
 */
function nextQuote(index: number, ctx: Ctx): number {
  const quotes = demoPolicy(ctx, 'quotes');
  const reps = demoPolicy(ctx, 'reps');
  if (index >= quotes || ctx.rng.chance(demoPolicy(ctx, 'sharedQuoteChance'))) return ctx.rng.int(0, quotes - 1);
  const bookSize = Math.floor((quotes - 1 - index) / reps) + 1;
  return index + ctx.rng.int(0, bookSize - 1) * reps;
}

function thinkThenAct(ctx: Ctx): void {
  const mean = demoPolicy(ctx, 'requestEveryMin') * MINUTE_MS;
  ctx.wakeAt(ctx.now + Math.max(1000, Math.round(-Math.log(1 - ctx.rng.float()) * mean)));
}

/**
 * The modelled time to answer a command (sim ms): a Slack round trip and parsing, plus pricing
 * per variant, with log-normal spread (sigma 0.4: p95 about 1.9x the median).
 */
function serviceTimeMs(variants: number, ctx: Ctx): number {
  return Math.max(1, Math.round((60 + 40 * variants) * Math.exp(0.4 * standardNormal(ctx.rng))));
}
