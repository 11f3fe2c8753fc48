// Cross-site requests and DNS rebinding. A page on another site can make a developer's browser
// POST to 127.0.0.1; a rebinding name (evil.example resolving to 127.0.0.1) can even read the
// answers. So: the Host header must name this server (a loopback name or address, the bound
// host, or one in TICKWORK_ALLOWED_HOSTS), and a request that carries an Origin must come from a
// page of this same host. Runbook routes that take curl's form-encoded `-d` bodies as JSON are
// safe only because of these two checks.
import type { RequestHandler } from 'express';
import { TickworkError } from '../runtime/errors.js';
import { isLoopback } from './auth.js';

export interface HostRule {
  /** The address the server is bound to. */
  boundHost: string;
  /** More names the server may be reached by (TICKWORK_ALLOWED_HOSTS, comma-separated). */
  allowedHosts: readonly string[];
}

function hostnameOf(hostHeader: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hostHeader);
  if (bracketed) return bracketed[1].toLowerCase();
  return hostHeader.replace(/:\d+$/, '').toLowerCase();
}

/** Whether a URL (an Origin, a Referer) names the host the request was sent to; 'null' and unreadable ones do not. */
function namesThisHost(url: string, hostHeader: string): boolean {
  try {
    return new URL(url).host.toLowerCase() === hostHeader.toLowerCase();
  } catch {
    return false;
  }
}

export function sameOriginOnly(rule: HostRule): RequestHandler {
  const allowed = new Set([rule.boundHost, ...rule.allowedHosts].map((h) => h.replace(/^\[|\]$/g, '').toLowerCase()));
  // Bound to every interface (with a token, the bind rule makes sure): any name reaches it, so
  // only an explicit list narrows it.
  const anyHost =
    !isLoopback(rule.boundHost) && rule.allowedHosts.length === 0 && ['0.0.0.0', '::'].includes(rule.boundHost);
  return (req, _res, next) => {
    const host = req.get('host') ?? '';
    const name = hostnameOf(host);
    if (!anyHost && !isLoopback(name) && !allowed.has(name)) {
      return next(
        new TickworkError(
          'TW_ERR_FORBIDDEN',
          `Host '${host.slice(0, 100)}' is not this server (add it to TICKWORK_ALLOWED_HOSTS)`,
          'host',
        ),
      );
    }
    const origin = req.get('origin');
    if (origin !== undefined) {
      if (!namesThisHost(origin, host)) {
        return next(
          new TickworkError(
            'TW_ERR_FORBIDDEN',
            `cross-origin request from '${origin.slice(0, 100)}' refused`,
            'origin',
          ),
        );
      }
    }
    next();
  };
}

/**
 * For a GET that creates work (a runbook's get-or-create): a page on another site can make a
 * browser send one with no Origin at all (an image tag), so the request's other marks of where
 * it came from decide. Refused when Sec-Fetch-Site says another site (`cross-site`, `same-site`)
 * or the Referer names another host. A client that sends neither (curl, a service) goes through.
 */
export function sameSiteOnly(): RequestHandler {
  return (req, _res, next) => {
    const fetchSite = req.get('sec-fetch-site');
    if (fetchSite === 'cross-site' || fetchSite === 'same-site')
      return next(
        new TickworkError('TW_ERR_FORBIDDEN', `a ${fetchSite} request refused on this route`, 'sec-fetch-site'),
      );
    const referer = req.get('referer');
    if (referer !== undefined) {
      if (!namesThisHost(referer, req.get('host') ?? ''))
        return next(
          new TickworkError(
            'TW_ERR_FORBIDDEN',
            `a request from '${referer.slice(0, 100)}' refused on this route`,
            'referer',
          ),
        );
    }
    next();
  };
}
