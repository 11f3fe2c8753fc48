// The 'http' effect: one request with fetch. Every answer reaches the actor as
// `{status, headers, body}` (a non-2xx answer as a failed effect that still carries all three, so
// an actor can read a 429's Retry-After); a request that got no answer fails with a typed
// network error (`refused`, `reset`, `dns`, `network`; the runner adds `timeout`).
import { EFFECT_LIMITS } from '../limits.js';
import { z } from 'zod';
import { EffectFailure } from './effect-failure.js';

const requestSchema = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
  url: z.string().url(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
});

export interface HttpResponseValue {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export type NetworkErrorKind = 'refused' | 'reset' | 'dns' | 'network';

const NETWORK_CODES: Record<string, NetworkErrorKind> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
};

export async function httpEffect(request: unknown, signal: AbortSignal): Promise<HttpResponseValue> {
  const req = requestSchema.parse(request);
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers: { ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}), ...req.headers },
      body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
      signal,
    });
  } catch (err) {
    if (signal.aborted) throw err;
    throw networkFailure(err);
  }
  const text = (await res.text()).slice(0, EFFECT_LIMITS.maxResponseBodyChars);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Plain text stays text.
  }
  const value: HttpResponseValue = { status: res.status, headers: Object.fromEntries(res.headers), body };
  if (!res.ok) throw new EffectFailure({ error: 'http_status', ...value });
  return value;
}

function networkFailure(err: unknown): EffectFailure {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  const kind = Object.hasOwn(NETWORK_CODES, code) ? NETWORK_CODES[code] : 'network';
  return new EffectFailure({ error: kind, code: code || undefined, message: cause?.message ?? (err as Error).message });
}
