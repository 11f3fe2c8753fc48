// A pack's settings from environment variables, checked once at start: a number within bounds or
// a 1/0 true/false flag, unset or blank meaning the default; anything else is refused with an
// error naming the variable (a runbook's operator sees which one to fix, not a later failure).
import { TickworkError } from './errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Whole numbers as digits (`1e3` and `5.0` are refused), other numbers as JavaScript reads them. */
export function envNumber(env: Env, name: string, fallback: number, min: number, max: number, integer = true): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  const wellFormed = integer ? /^[+-]?\d+$/.test(raw.trim()) : Number.isFinite(n);
  if (!wellFormed || n < min || n > max) {
    throw new TickworkError(
      'TW_ERR_VALIDATION',
      `${name}: '${raw}' is not ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`,
      name,
    );
  }
  return n;
}

/** `1`/`true` on, `0`/`false`/unset off, in any case; anything else is refused. */
export function envFlag(env: Env, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new TickworkError('TW_ERR_VALIDATION', `${name}: '${env[name]}' is not 1/0 or true/false`, name);
}
