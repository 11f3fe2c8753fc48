// pino logging to stderr (stdout is for summaries and JSON). Every line of a run carries its run
// id and the current tick. Level: TICKWORK_LOG_LEVEL (default 'warn' on the CLI, quiet enough
// for a progress bar).
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(bindings: Record<string, unknown> = {}, mixin?: () => Record<string, unknown>): Logger {
  return pino(
    { level: process.env.TICKWORK_LOG_LEVEL ?? 'warn', base: { ...bindings }, mixin },
    pino.destination({ fd: 2, sync: true }),
  );
}
