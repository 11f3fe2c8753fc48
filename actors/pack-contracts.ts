// What a scenario (or an HTTP body) may say to each pack: the invariants it can name by id, the
// policies it may set and the events it may schedule. Plain data and zod schemas, imported
// synchronously so inputs are validated at the edge without loading the pack's behaviours.
import type { z } from 'zod';
import type { InvariantCatalogue } from '../runtime/actor/pack.js';
import { RUNTIME_INVARIANTS } from '../runtime/invariants/runtime-invariants.js';
import { SIMCITY_INVARIANTS } from './simcity/invariants.js';
import { simcityPoliciesSchema } from './simcity/policies.js';
import { CHAOS_EVENT_SCHEMAS } from './simcity/chaos-events.js';

export interface PackContract {
  invariants: InvariantCatalogue;
  /** Schema of a policies object; packs without one accept any params (test and bench packs). */
  policies?: z.ZodType<Record<string, unknown>>;
  /** Event types and their parameters; packs without it accept any event. */
  events?: Readonly<Record<string, z.ZodType<Record<string, unknown>>>>;
}

const CONTRACTS: Record<string, Omit<PackContract, 'invariants'> & { invariants?: InvariantCatalogue }> = {
  simcity: { invariants: SIMCITY_INVARIANTS, policies: simcityPoliciesSchema, events: CHAOS_EVENT_SCHEMAS },
};

export function packContract(pack: string): PackContract {
  const c = CONTRACTS[pack] ?? {};
  return { ...c, invariants: { ...RUNTIME_INVARIANTS, ...c.invariants } };
}
