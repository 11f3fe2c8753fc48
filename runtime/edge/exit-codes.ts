// How the CLI fails: one line on stderr naming the problem, and an exit code a script can use.
import { PackError, TickworkError } from '../errors.js';

/**
 * 0 passed; 1 the run's verdict failed (a critical gate failed or was never judged, or the run
 * failed); 2 usage or input error; 3 the tool itself could not do its work (store, threads, an
 * internal error), so a CI can tell a broken system under test from a broken test rig.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, infrastructure: 3, interruptedTwice: 130 } as const;

export function usageError(message: string, field?: string): TickworkError {
  return new TickworkError('TW_ERR_USAGE', message, field);
}

/** Exit code for an error thrown by a command: input problems are 2, everything else 3. */
export function exitCodeFor(err: unknown): number {
  if ((err instanceof TickworkError || err instanceof PackError) && err.status < 500) return EXIT.usage;
  return EXIT.infrastructure;
}

/** Infrastructure failures a run can end with: the rig broke, not the system under test. */
const INFRASTRUCTURE: readonly string[] = [
  'TW_ERR_STORE',
  'TW_ERR_WORKER_LOST',
  'TW_ERR_UNAVAILABLE',
  'TW_ERR_INTERNAL',
];

/**
 * Exit code for a run that ended: its verdict, unless the rig itself failed it. An interrupted run
 * (a signal, an orderly shutdown) has no verdict yet and exits 0: it resumes.
 */
export function exitCodeForRun(summary: { passed: boolean; status?: string; errorCode?: string }): number {
  if (summary.errorCode && INFRASTRUCTURE.includes(summary.errorCode)) return EXIT.infrastructure;
  if (summary.status === 'interrupted') return EXIT.ok;
  return summary.passed ? EXIT.ok : EXIT.failed;
}

export function errorLine(err: unknown): string {
  if (err instanceof TickworkError || err instanceof PackError) return `tickwork: ${err.message} [${err.code}]`;
  return `tickwork: ${err instanceof Error ? err.message : String(err)}`;
}
