// The workload pack's registration: the benchmark workloads' knobs.
import { z } from 'zod';
import type { PackModule } from '../../runtime/sdk.js';

const count = z.number().int().min(0).max(100_000_000);
/** Bench 1 runs a million steppers; five is the most any bench asks for with room to spare. */
const actors = z.number().int().min(0).max(5_000_000);

export const workloadPack: PackModule = {
  name: 'workload',
  description: 'benchmark workloads: steppers, pulses, chatters, idle sleepers',
  model: { url: new URL('./model.js', import.meta.url).href, export: 'workloadModel' },
  surfaces: {
    limits: [{ what: 'actors per run', limit: '5,000,000 (`actors`)', where: '`actors/workload/pack.ts` contract' }],
  },
  contract: {
    invariants: {},
    policies: z
      .strictObject({
        kind: z.enum(['stepper', 'pulse', 'chatter', 'idle']),
        actors,
        observeSteps: z.boolean(),
        stepEveryMs: count,
        messagesEach: count,
        hops: count,
        sleepMs: count,
      })
      .partial(),
    events: {},
  },
};
