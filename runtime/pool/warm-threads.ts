// Worker threads outlive a run. A fresh thread pays for its start and, worse, for JIT warm-up:
// the first ticks of a busy run on new threads take 5-10x longer than later ones. A run hands
// its threads back when it ends, and the next run with the same worker count in this process (a
// server starting runs, a test suite, a benchmark) attaches to them warm. Threads left unused for
// a minute are ended; piscina unrefs idle threads, so a cached pool never holds a process open.
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { pinnedBalancer } from './pinned-balancer.js';

const WORKER_FILE = fileURLToPath(new URL('../worker/worker-entry.js', import.meta.url));
const IDLE_MS = 60_000;

export class WarmThreads {
  /** Where an attach task names its slot for the pinned balancer. */
  static readonly queueOptions = Piscina.queueOptionsSymbol;
  private static readonly idle = new Map<number, WarmThreads[]>();

  readonly pool: Piscina;
  /** Slot -> thread id: the pinned balancer's state, kept with the threads it describes. */
  readonly slotToWorker = new Map<number, number>();
  /** Thread ids of workers that died or are being terminated. */
  readonly retired = new Set<number>();
  private idleTimer: NodeJS.Timeout | undefined;

  /** Threads kept warm between runs, not serving one now. */
  static idleThreadCount(): number {
    let n = 0;
    for (const [count, pools] of WarmThreads.idle) n += count * pools.length;
    return n;
  }

  /** Threads for a run: idle warm ones with this count if there are any, else new ones. */
  static acquire(workerCount: number): WarmThreads {
    const warm = WarmThreads.idle.get(workerCount)?.pop();
    if (warm) {
      clearTimeout(warm.idleTimer);
      return warm;
    }
    return new WarmThreads(workerCount);
  }

  private constructor(readonly workerCount: number) {
    this.pool = new Piscina({
      filename: WORKER_FILE,
      minThreads: workerCount,
      maxThreads: workerCount,
      idleTimeout: Number.MAX_SAFE_INTEGER,
      // Idle workers must keep reading their tick port between piscina tasks.
      atomics: 'async',
      loadBalancer: pinnedBalancer(this.slotToWorker, this.retired),
    });
    this.pool.on('error', () => {
      // A worker that dies is reported through its port closing; piscina replaces the thread.
    });
  }

  /** The run is done with them (its ports closed): keep them warm for the next run. */
  release(): void {
    const list = WarmThreads.idle.get(this.workerCount) ?? [];
    if (list.includes(this)) return;
    list.push(this);
    WarmThreads.idle.set(this.workerCount, list);
    this.idleTimer = setTimeout(() => {
      list.splice(list.indexOf(this), 1);
      void this.pool.destroy();
    }, IDLE_MS).unref();
  }
}
