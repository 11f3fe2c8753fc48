// The probe pack's main-thread half: which actors exist is its only policy.
import { z } from 'zod';
import { type PackModule } from '../../runtime/sdk.js';

export const probeModule: PackModule = {
  name: 'probe',
  description: 'conformance probes: ordering, timers, supervision, rng, effects',
  model: { url: new URL('./pack.js', import.meta.url).href, export: 'probePack' },
  contract: {
    invariants: {},
    policies: z.strictObject({
      'probe.actors': z.array(z.strictObject({ kind: z.string().min(1).max(50), args: z.unknown().optional() })).max(100_000),
    }).partial(),
    events: {},
  },
};
