// Probe jobs for the conformance tests of the job pool: one that answers, one that never does.
import { isMainThread } from 'node:worker_threads';

/** Squares `n`, and says whether it ran off the main thread. */
export function square(request: { n: number }): { square: number; inPool: boolean } {
  return { square: request.n * request.n, inPool: !isMainThread };
}

/** Never returns: only its time budget ends it. */
export function spin(): never {
  for (;;) {
    // busy on purpose
  }
}
