// The in-process CRM: the HubSpot-like account (hubspot/crm-account.ts) as an actor on the sim
// clock, answering each batch after a seeded latency, or never (a timeout). The default sink:
// deterministic, so a run's digest holds with any number of workers.
import { defineKind } from '../../../runtime/sdk.js';
import { type AccountConfig, type AccountState, batchCreate, newAccountState } from '../domain/crm-account.js';
import { crmPolicy, faultsOf } from './policies.js';
import type { CrmMessage } from './messages.js';

interface CrmModelState {
  account: AccountState;
}

export const inProcessCrm = defineKind<CrmModelState, CrmMessage, Record<string, never>>({
  name: 'crm',
  init: () => ({ account: newAccountState() }),
  onFailure: 'restart',
  receive(state, input, ctx) {
    if (input.type !== 'message' || input.body.kind !== 'batch') return;
    const req = input.body;
    const dailyLimit = crmPolicy(ctx, 'dailyLimit');
    // The outage drill's CRM_OUTAGE event: every request answered 5xx while it lasts.
    const outage = ctx.param('event.CRM_OUTAGE') !== undefined;
    const faults = outage ? { ...faultsOf(ctx), serverError: 1 } : faultsOf(ctx);
    const config: AccountConfig = {
      tier: crmPolicy(ctx, 'tier'),
      dailyLimit: dailyLimit > 0 ? dailyLimit : undefined,
      faults,
    };
    const reply = batchCreate(state.account, config, ctx.now, req.type, req.body, ctx.rng);
    ctx.count(`crm.model.${reply.kind === 'response' ? reply.status : reply.kind}`);
    // A timed-out answer is simply never sent: the simulation's own request timeout notices.
    if (reply.kind === 'timeout') return;
    const [lo, hi] = crmPolicy(ctx, 'crmLatencyMs');
    ctx.send(input.from, { kind: 'reply', reqId: req.reqId, reply }, ctx.rng.int(lo, hi));
  },
});
