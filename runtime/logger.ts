// pino logging to stderr (stdout is for summaries and JSON). Every line of a run carries its run
// id and the current tick. Level: TICKWORK_LOG_LEVEL (default 'warn', quiet enough for a progress
// bar); a `DEBUG` namespace, as the runbooks type it (`DEBUG=<pack>:*`, `DEBUG=*`), turns on
// 'debug'. The namespace is not matched against pack names: the logger knows no pack.
import { pino, type Logger } from 'pino';
import { TickworkError } from './errors.js';

export type { Logger };

/** Where log lines go: stderr, unless a console owner (a TTY progress line) routes them through itself. */
let route: ((line: string) => void) | undefined;
const toStderr = pino.destination({ fd: 2, sync: true });

/** Send every logger's lines to `sink` (undefined: back to stderr). Loggers made earlier follow too. */
export function routeLogs(sink: ((line: string) => void) | undefined): void {
  route = sink;
}

const destination = {
  write(line: string): void {
    if (route) route(line);
    else toStderr.write(line);
  },
};

export function createLogger(bindings: Record<string, unknown> = {}, mixin?: () => Record<string, unknown>): Logger {
  return pino({ level: logLevel(), base: { ...bindings }, mixin }, destination);
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function logLevel(): string {
  const asked = process.env.TICKWORK_LOG_LEVEL;
  if (asked) {
    if (!LEVELS.includes(asked))
      throw new TickworkError(
        'TW_ERR_USAGE',
        `TICKWORK_LOG_LEVEL must be one of ${LEVELS.join(', ')} (got '${asked}')`,
        'TICKWORK_LOG_LEVEL',
      );
    return asked;
  }
  return /^\s*[\w*-]/.test(process.env.DEBUG ?? '') ? 'debug' : 'warn';
}
