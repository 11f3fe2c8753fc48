// Bearer-token auth and the bind rule. With TICKWORK_ADMIN_TOKEN set, every route but /healthz
// needs `Authorization: Bearer <token>` (scheme case-insensitive); pages and event streams, which
// a browser opens without headers, also take `?token=`; /metrics also takes
// TICKWORK_METRICS_TOKEN, so a scraper need not hold the admin token. Without a token the server
// stays on loopback.
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { RequestHandler } from 'express';
import { TickworkError } from '../runtime/errors.js';

/** A token guessable in a day of requests is no token: refused for a non-loopback bind. */
export const MIN_TOKEN_CHARS = 16;

export function requireToken(
  tokens: readonly (string | undefined)[],
  opts: { allowQuery?: boolean } = {},
): RequestHandler {
  const accepted = tokens.filter((t): t is string => !!t);
  return (req, _res, next) => {
    if (accepted.length === 0) return next();
    const header = req.get('authorization') ?? '';
    const bearer = /^bearer\s+(.+)$/i.exec(header)?.[1].trim();
    const given = bearer ?? (opts.allowQuery && typeof req.query.token === 'string' ? req.query.token : '');
    if (accepted.some((t) => sameSecret(given, t))) return next();
    next(
      new TickworkError(
        'TW_ERR_UNAUTHORIZED',
        header || given ? 'wrong bearer token' : 'this route needs Authorization: Bearer <TICKWORK_ADMIN_TOKEN>',
      ),
    );
  };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Loopback by address (127.0.0.0/8, ::1, IPv4-mapped 127.x) or the name `localhost`. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.split('.')[0] === '127';
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h) || /^0*:0*:0*:0*:0*:0*:0*:0*1$/.test(h);
  return false;
}

/** Listening beyond loopback without a (long enough) token would hand the kill switch to the network. */
export function assertSafeBind(host: string, token: string | undefined): void {
  if (isLoopback(host)) return;
  if (!token) {
    throw new TickworkError(
      'TW_ERR_UNSAFE_BIND',
      `refusing to listen on ${host} without TICKWORK_ADMIN_TOKEN: set a token, or bind to 127.0.0.1 (the default)`,
      'host',
    );
  }
  if (token.length < MIN_TOKEN_CHARS) {
    throw new TickworkError(
      'TW_ERR_UNSAFE_BIND',
      `refusing to listen on ${host} with a TICKWORK_ADMIN_TOKEN shorter than ${MIN_TOKEN_CHARS} characters`,
      'host',
    );
  }
}
