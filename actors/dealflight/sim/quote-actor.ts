// A quote in the demo: the single owner of its lines and version, as a vendor owns its calendar.
// A promotion applies only against the version the rep compared; if another rep promoted first,
// it is refused as stale (the promotion failures the runbook's KPI counts).
import { defineKind } from '../../../runtime/sdk.js';
import type { Quote } from '../domain/cpq/catalogue.js';
import { SAMPLE_QUOTES } from '../domain/cpq/sample-quotes.js';
import { applyChanges } from '../domain/simulator/variants.js';
import type { DemoMessage } from './messages.js';

export interface QuoteState {
  quote: Quote;
  version: number;
}

export const quoteActor = defineKind<QuoteState, DemoMessage, { index: number }>({
  name: 'quote',
  onFailure: 'restart',
  init: (args) => {
    const template = SAMPLE_QUOTES[args.index % SAMPLE_QUOTES.length];
    return {
      quote: { ...template, id: `Q-${10_000 + args.index}`, lines: template.lines.map((l) => ({ ...l })) },
      version: 1,
    };
  },
  receive(state, input, ctx) {
    if (input.type !== 'message') return;
    const body = input.body;
    if (body.op === 'get') {
      ctx.send(input.from, { op: 'quote', quote: state.quote, version: state.version });
    } else if (body.op === 'promote') {
      if (body.version !== state.version) {
        ctx.send(input.from, { op: 'stale', version: state.version });
        return;
      }
      state.quote = applyChanges(state.quote, body.changes);
      state.version++;
      ctx.send(input.from, { op: 'promoted', version: state.version });
    }
  },
});
