// CRM tokens at rest: AES-256-GCM under TOKEN_ENC_SECRET (32 bytes: 64 hex digits, base64 of 32
// bytes, or 32 plain characters), a fresh 12-byte IV per token, stored as iv.tag.ciphertext in
// base64url. A wrong secret or a tampered value fails to decrypt rather than yielding garbage.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { TickworkError } from '../../../runtime/sdk.js';

export function encryptionKey(env: Record<string, string | undefined> = process.env): Buffer {
  const raw = env.TOKEN_ENC_SECRET;
  if (!raw)
    throw new TickworkError(
      'TW_ERR_VALIDATION',
      'TOKEN_ENC_SECRET is required to store a CRM token (32 bytes: 64 hex digits, base64, or 32 characters)',
      'TOKEN_ENC_SECRET',
    );
  if (/^[0-9a-f]{64}$/i.test(raw)) return Buffer.from(raw, 'hex');
  const b64 = Buffer.from(raw, 'base64');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(raw) && b64.length === 32) return b64;
  if (Buffer.byteLength(raw) === 32) return Buffer.from(raw);
  throw new TickworkError(
    'TW_ERR_VALIDATION',
    `TOKEN_ENC_SECRET must be 32 bytes: 64 hex digits, base64 of 32 bytes, or 32 characters (got ${Buffer.byteLength(raw)} bytes)`,
    'TOKEN_ENC_SECRET',
  );
}

export function encryptToken(key: Buffer, token: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join('.');
}

export function decryptToken(key: Buffer, stored: string): string {
  const [iv, tag, data] = stored.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !data) throw new TickworkError('TW_ERR_VALIDATION', 'a stored CRM token is not iv.tag.ciphertext');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch {
    throw new TickworkError(
      'TW_ERR_VALIDATION',
      'a stored CRM token does not decrypt with TOKEN_ENC_SECRET (another secret, or tampered)',
      'TOKEN_ENC_SECRET',
    );
  }
}
