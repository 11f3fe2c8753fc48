// The runbook's retry variables, with its dual naming: for each type the new name
// (CONTACT_ATTEMPTS, NOTE_BACKOFF_MS) wins over the legacy one (ATTEMPTS_CONTACT, BACKOFF_NOTE);
// a secondary type without its own inherits ATTEMPTS_SECONDARY / BACKOFF_SECONDARY; a backoff
// list shorter than attempts - 1 repeats its last value. Read once when a run is created and
// stored with it as the `retry` policy, so a resume or replay retries as the original did.
import { TickworkError } from '../../../runtime/sdk.js';
import { CRM_POLICY_DEFAULTS, type JobType, type RetrySpec, SECONDARY_TYPES } from '../sim/policies.js';

type Env = Record<string, string | undefined>;

export function retryFromEnv(env: Env): Record<JobType, RetrySpec> {
  const contact = spec(env, CRM_POLICY_DEFAULTS.retry.contact, names('CONTACT'), [
    'ATTEMPTS_CONTACT',
    'BACKOFF_CONTACT',
  ]);
  const secondary = spec(
    env,
    CRM_POLICY_DEFAULTS.retry.note,
    [undefined, undefined],
    ['ATTEMPTS_SECONDARY', 'BACKOFF_SECONDARY'],
  );
  const retry = { contact } as Record<JobType, RetrySpec>;
  for (const type of SECONDARY_TYPES) {
    const upper = type.toUpperCase();
    retry[type] = spec(env, secondary, names(upper), [`ATTEMPTS_${upper}`, `BACKOFF_${upper}`]);
  }
  return retry;
}

function names(type: string): [string, string] {
  return [`${type}_ATTEMPTS`, `${type}_BACKOFF_MS`];
}

function spec(
  env: Env,
  inherited: RetrySpec,
  [newAttempts, newBackoff]: [string | undefined, string | undefined],
  [oldAttempts, oldBackoff]: [string, string],
): RetrySpec {
  const attemptsVar = pick(env, newAttempts, oldAttempts);
  const backoffVar = pick(env, newBackoff, oldBackoff);
  const attempts = attemptsVar ? parseAttempts(attemptsVar, env[attemptsVar]!) : inherited.attempts;
  const backoffMs = backoffVar ? parseBackoff(backoffVar, env[backoffVar]!) : inherited.backoffMs;
  return { attempts, backoffMs: pad(backoffMs, attempts - 1) };
}

/** The variable in force: the new name when set, else the legacy one. */
function pick(env: Env, newName: string | undefined, oldName: string): string | undefined {
  if (newName !== undefined && env[newName] !== undefined && env[newName] !== '') return newName;
  return env[oldName] !== undefined && env[oldName] !== '' ? oldName : undefined;
}

function parseAttempts(name: string, raw: string): number {
  const n = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || n < 1 || n > 10)
    throw new TickworkError('TW_ERR_VALIDATION', `${name} must be a whole number from 1 to 10 (got '${raw}')`, name);
  return n;
}

function parseBackoff(name: string, raw: string): number[] {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length > 10 || parts.some((p) => !/^\d+$/.test(p) || Number(p) > 3_600_000)) {
    throw new TickworkError(
      'TW_ERR_VALIDATION',
      `${name} must be a comma list of at most 10 delays in ms, each 0 to 3600000, like "0,2000,8000" (got '${raw}')`,
      name,
    );
  }
  return parts.map(Number);
}

function pad(list: number[], length: number): number[] {
  if (list.length === 0 || list.length >= length) return list;
  return [...list, ...Array(length - list.length).fill(list[list.length - 1])];
}
