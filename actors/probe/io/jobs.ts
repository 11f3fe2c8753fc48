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

/** Squares `n` after a wall-clock pause that differs per call: a pool slower for some requests than others. */
export async function slowSquare(request: { n: number }): Promise<{ square: number; inPool: boolean }> {
  await new Promise((resolve) => setTimeout(resolve, (request.n % 3) * 150));
  return square(request);
}
