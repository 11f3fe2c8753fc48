// How the CLI fails: one line on stderr naming the problem, and an exit code a script can use.
import { TickworkError } from '../errors.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, interruptedTwice: 130 } as const;

export function usageError(message: string, field?: string): TickworkError {
  return new TickworkError('TW_ERR_USAGE', message, field);
}

/** Exit code for an error thrown by a command: input problems are 2, everything else 1. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof TickworkError) return err.status < 500 ? EXIT.usage : EXIT.failed;
  return EXIT.failed;
}

export function errorLine(err: unknown): string {
  if (err instanceof TickworkError) return `tickwork: ${err.message} [${err.code}]`;
  return `tickwork: ${err instanceof Error ? err.message : String(err)}`;
}
