// pino logging to stderr (stdout is for summaries and JSON). Every line of a run carries its run
// id and the current tick. Level: TICKWORK_LOG_LEVEL (default 'warn', quiet enough for a progress
// bar); a `DEBUG` namespace, as the runbooks type it (`DEBUG=<pack>:*`, `DEBUG=*`), turns on
// 'debug'. The namespace is not matched against pack names: the logger knows no pack.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(bindings: Record<string, unknown> = {}, mixin?: () => Record<string, unknown>): Logger {
  return pino(
    { level: logLevel(), base: { ...bindings }, mixin },
    pino.destination({ fd: 2, sync: true }),
  );
}

function logLevel(): string {
  if (process.env.TICKWORK_LOG_LEVEL) return process.env.TICKWORK_LOG_LEVEL;
  return /^\s*[\w*-]/.test(process.env.DEBUG ?? '') ? 'debug' : 'warn';
}
