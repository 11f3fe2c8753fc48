// pino logging to stderr (stdout is for summaries and JSON). Every line of a run carries its run
// id and the current tick. Level: TICKWORK_LOG_LEVEL (default 'warn', quiet enough for a progress
// bar); a `DEBUG` namespace, as the runbooks type it (`DEBUG=<pack>:*`, `DEBUG=*`), turns on
// 'debug'. The namespace is not matched against pack names: the logger knows no pack.
import { pino, type Logger } from 'pino';
import { TickworkError } from './errors.js';

export type { Logger };

export function createLogger(bindings: Record<string, unknown> = {}, mixin?: () => Record<string, unknown>): Logger {
  return pino(
    { level: logLevel(), base: { ...bindings }, mixin },
    pino.destination({ fd: 2, sync: true }),
  );
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function logLevel(): string {
  const asked = process.env.TICKWORK_LOG_LEVEL;
  if (asked) {
    if (!LEVELS.includes(asked)) throw new TickworkError('TW_ERR_USAGE', `TICKWORK_LOG_LEVEL must be one of ${LEVELS.join(', ')} (got '${asked}')`, 'TICKWORK_LOG_LEVEL');
    return asked;
  }
  return /^\s*[\w*-]/.test(process.env.DEBUG ?? '') ? 'debug' : 'warn';
}
