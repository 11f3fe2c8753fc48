// The 'http' effect: one request with fetch. A non-2xx answer is a failed effect that still
// carries the status and body, so an actor can tell a 429 from a 500.
import { z } from 'zod';

const requestSchema = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
  url: z.string().url(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
});

export async function httpEffect(request: unknown, signal: AbortSignal): Promise<unknown> {
  const req = requestSchema.parse(request);
  const res = await fetch(req.url, {
    method: req.method,
    headers: { ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}), ...req.headers },
    body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
    signal,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Plain text stays text.
  }
  if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { status: res.status, body });
  return { status: res.status, body };
}
