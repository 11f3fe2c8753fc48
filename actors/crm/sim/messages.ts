// What SimCRM's actors say to each other, and what an operator sends the simulation from outside.
import type { CrmObjectType, CrmReply } from '../domain/crm-account.js';
import type { DlqCategory } from './outcome.js';

/** Actor ids: the simulation is spawned first in partition 0, the CRM first in partition 1 (or second in 0). */
export const SIMULATION_ID = 0;
export const CRM_ID = 1;

export interface BatchRequest {
  kind: 'batch';
  reqId: number;
  type: CrmObjectType;
  body: { inputs: unknown[] };
}

export interface BatchReply {
  kind: 'reply';
  reqId: number;
  reply: CrmReply;
}

/** POST /api/simulations/:id/dlq/replay, as an outside message to the simulation actor. */
export interface DlqReplay {
  kind: 'dlq-replay';
  categories?: DlqCategory[];
  limit: number;
  useFullRetry: boolean;
}

export type CrmMessage = BatchRequest | BatchReply | DlqReplay;
