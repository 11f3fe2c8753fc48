// Bearer-token auth and the bind rule. With TICKWORK_ADMIN_TOKEN set, mutating routes and the
// dashboard need `Authorization: Bearer <token>` (the dashboard page also takes `?token=`, since
// a browser cannot add a header to a navigation). Without a token the server stays on loopback.
import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { TickworkError } from '../runtime/errors.js';

export function requireToken(token: string | undefined, opts: { allowQuery?: boolean } = {}): RequestHandler {
  return (req, _res, next) => {
    if (!token) return next();
    const header = req.get('authorization') ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : opts.allowQuery && typeof req.query.token === 'string' ? req.query.token : '';
    if (sameSecret(given, token)) return next();
    next(new TickworkError('TW_ERR_UNAUTHORIZED', header ? 'wrong bearer token' : 'this route needs Authorization: Bearer <TICKWORK_ADMIN_TOKEN>'));
  };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** Listening beyond loopback without a token would hand the kill switch to the network. */
export function assertSafeBind(host: string, token: string | undefined): void {
  if (!isLoopback(host) && !token) {
    throw new TickworkError(
      'TW_ERR_UNSAFE_BIND',
      `refusing to listen on ${host} without TICKWORK_ADMIN_TOKEN: set a token, or bind to 127.0.0.1 (the default)`,
      'host',
    );
  }
}
