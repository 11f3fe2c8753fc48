// CRM tokens at rest: AES-256-GCM under TOKEN_ENC_SECRET (a 32-byte key as 64 hex digits or
// base64, or a passphrase of 16 characters or more, stretched to a key with scrypt), a fresh
// 12-byte IV per token, a full 16-byte tag, stored as iv.tag.ciphertext in base64url. A wrong
// secret, a tampered value or a shortened tag fails to decrypt rather than yielding garbage.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

const TAG_BYTES = 16;
/** A passphrase is not a key: scrypt stretches it (the salt is fixed: one key per secret, by design). */
const PASSPHRASE_SALT = 'tickwork crm token v1';
import { TickworkError } from '../../../runtime/sdk.js';

export function encryptionKey(env: Record<string, string | undefined> = process.env): Buffer {
  const raw = env.TOKEN_ENC_SECRET;
  if (!raw)
    throw new TickworkError(
      'TW_ERR_VALIDATION',
      'TOKEN_ENC_SECRET is required to store a CRM token (a 32-byte key as 64 hex digits or base64, or a passphrase of 16+ characters)',
      'TOKEN_ENC_SECRET',
    );
  if (/^[0-9a-f]{64}$/i.test(raw)) return Buffer.from(raw, 'hex');
  const b64 = Buffer.from(raw, 'base64');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(raw) && b64.length === 32) return b64;
  if (raw.length >= 16) return scryptSync(raw, PASSPHRASE_SALT, 32);
  throw new TickworkError(
    'TW_ERR_VALIDATION',
    `TOKEN_ENC_SECRET must be a 32-byte key (64 hex digits or base64) or a passphrase of 16 characters or more (got ${raw.length})`,
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
  if (!iv || !tag || !data || iv.length !== 12 || tag.length !== TAG_BYTES)
    throw new TickworkError('TW_ERR_VALIDATION', 'a stored CRM token is not iv.tag.ciphertext with a 16-byte tag');
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
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
