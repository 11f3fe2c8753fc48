// The probe pack's registration: which actors exist, and the lookahead every probe kind declares.
import { z } from 'zod';
import type { PackModule } from '../../runtime/sdk.js';

export const probePack: PackModule = {
  name: 'probe',
  description: 'conformance probes: ordering, timers, supervision, rng, effects',
  model: { url: new URL('./model.js', import.meta.url).href, export: 'probeModel' },
  contract: {
    invariants: {},
    policies: z
      .strictObject({
        'probe.actors': z
          .array(z.strictObject({ kind: z.string().min(1).max(50), args: z.unknown().optional() }))
          .max(100_000),
        // Every probe kind's lookahead (crossPartitionDelayMs), for the window tests.
        'probe.lookaheadMs': z.number().min(0).max(86_400_000),
      })
      .partial(),
    events: {},
  },
};
