// Errors over HTTP: every failure answers `{error: {code, message, path?}}` with the status of
// its code in the error table. Body-parser failures (bad JSON, oversize) map to 400 and 413;
// anything unexpected is a logged 500 that never takes the server down.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { PackError, TickworkError } from '../runtime/errors.js';
import type { Logger } from '../runtime/logger.js';

export function notFound(): RequestHandler {
  return (req, _res, next) => next(new TickworkError('TW_ERR_NOT_FOUND', `no route ${req.method} ${req.path}`));
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof PackError) {
      // A pack's refusal is a deliberate answer (a paused route), not a server fault: a warning.
      if (err.status >= 500) log.warn({ code: err.code, method: req.method, path: req.path }, err.message);
      if (res.headersSent) return res.end();
      return res.status(err.status).json({ error: err.toJSON() });
    }
    const e = toTickworkError(err);
    if (e.status >= 500) log.error({ err, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) return res.end();
    res.status(e.status).json({ error: e.toJSON() });
  };
}

function toTickworkError(err: unknown): TickworkError {
  if (err instanceof TickworkError) return err;
  const type = (err as { type?: string }).type;
  if (type === 'entity.too.large')
    return new TickworkError(
      'TW_ERR_PAYLOAD_TOO_LARGE',
      `request body exceeds ${(err as { limit?: number }).limit} bytes`,
    );
  if (type === 'entity.parse.failed')
    return new TickworkError('TW_ERR_VALIDATION', `body: not valid JSON (${(err as Error).message})`, 'body');
  if (typeof (err as { status?: number }).status === 'number' && (err as { status: number }).status < 500) {
    return new TickworkError('TW_ERR_VALIDATION', (err as Error).message);
  }
  return new TickworkError('TW_ERR_INTERNAL');
}
