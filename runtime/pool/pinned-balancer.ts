// Piscina load balancer that pins each attach task to one worker: a task carrying
// `{ slot }` in its queue options goes to the worker that owns that slot, or, when that worker is
// gone, to a worker that owns no slot yet. Partitions therefore stay on one thread for the run.
import { Piscina } from 'piscina';

/** piscina's balancer contract (its type is not re-exported from the package root). */
type PiscinaLoadBalancer = NonNullable<ConstructorParameters<typeof Piscina>[0]>['loadBalancer'] & {};

export interface PinnedTaskOptions {
  slot: number;
}

/** @param retired thread ids of workers that died or are being terminated; never chosen. */
export function pinnedBalancer(slotToWorker: Map<number, number>, retired: ReadonlySet<number>): PiscinaLoadBalancer {
  return (task, workers) => {
    const options = (task as unknown as Record<symbol, unknown>)[Piscina.queueOptionsSymbol] as
      | PinnedTaskOptions
      | null
      | undefined;
    const live = workers.filter((w) => !w.terminating && !w.destroyed && !retired.has(w.id));
    if (!options) return live.find((w) => w.currentUsage === 0) ?? null;
    const owner = slotToWorker.get(options.slot);
    const pinned = live.find((w) => w.id === owner);
    if (pinned) return pinned;
    const taken = new Set(slotToWorker.values());
    const free = live.find((w) => !taken.has(w.id) && w.currentUsage === 0);
    if (!free) return null;
    slotToWorker.set(options.slot, free.id);
    return free;
  };
}
