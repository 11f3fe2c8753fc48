// The workload pack's main-thread half: the benchmark workloads' knobs.
import { z } from 'zod';
import type { PackModule } from '../../runtime/packs/pack-module.js';

const count = z.number().int().min(0).max(100_000_000);

export const workloadModule: PackModule = {
  name: 'workload',
  description: 'benchmark workloads: steppers, pulses, chatters, idle sleepers',
  worker: { url: new URL('./pack.js', import.meta.url).href, export: 'workloadPack' },
  contract: {
    invariants: {},
    policies: z.strictObject({
      kind: z.enum(['stepper', 'pulse', 'chatter', 'idle']),
      actors: count,
      observeSteps: z.boolean(),
      stepEveryMs: count,
      messagesEach: count,
      hops: count,
      sleepMs: count,
    }).partial(),
    events: {},
  },
};
