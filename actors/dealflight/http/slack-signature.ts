// Slack's request signing (api.slack.com/authentication/verifying-requests-from-slack):
// `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the app's signing secret, in
// X-Slack-Signature; X-Slack-Request-Timestamp within 5 minutes of now. Compared in constant
// time. A signature already seen inside the window (by any process on the store) is a replay and is
// refused too.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PackStatement, PackTables } from '../../../runtime/sdk.js';

export const SIGNATURE_WINDOW_S = 5 * 60;

export type SignatureVerdict = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' | 'replayed' };

export function slackSignature(secret: string, timestamp: string, rawBody: string | Buffer): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`;
}

export function verifySlackSignature(
  secret: string,
  headers: { timestamp?: string; signature?: string },
  rawBody: Buffer,
  nowS: number,
): SignatureVerdict {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing' };
  if (Math.abs(nowS - Number(timestamp)) > SIGNATURE_WINDOW_S) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(slackSignature(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'mismatch' };
  return { ok: true };
}

/**
 * Signatures seen in the last window, in the store: a replay is refused by any process on it and
 * after a restart. Rows older than the window are dropped as new ones come (at most one signed
 * request's row per signature, and a signed request needs the secret).
 */
export class ReplayGuard {
  private readonly insert: PackStatement;
  private readonly prune: PackStatement;

  constructor(db: PackTables) {
    this.insert = db.prepare('INSERT OR IGNORE INTO deal_flight_slack_seen (signature, seen_at) VALUES (?, ?)');
    this.prune = db.prepare('DELETE FROM deal_flight_slack_seen WHERE seen_at < ?');
  }

  /** True the first time a signature is seen inside the window. */
  firstSighting(signature: string, nowS: number): boolean {
    this.prune.run(nowS - SIGNATURE_WINDOW_S);
    return this.insert.run(signature, nowS).changes === 1;
  }
}
