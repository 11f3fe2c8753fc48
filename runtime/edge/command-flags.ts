// Flag parsing for every command: node's parseArgs (strict, so an unknown flag is an error),
// then zod for values, so each bad value names its flag.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { usageError } from './exit-codes.js';
import { parseDurationMs } from '../scenario/duration.js';

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

const HELP_FLAG = { help: { type: 'boolean', short: 'h' } } as const;

export function parseFlags<T extends FlagSpec>(argv: string[], options: T) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, ...HELP_FLAG } as T & typeof HELP_FLAG,
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw usageError((err as Error).message.split('\n')[0]);
  }
}

const intFlag = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `--${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `--${name} must be between ${min} and ${max}`);

const durationFlag = (name: string) =>
  z.string().transform((s, ctx) => {
    const ms = parseDurationMs(s);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `--${name} must look like 20h, 90m, 30s, 7d or 1500ms (a unit is required), at most 3650d (got '${s}')`,
      });
      return z.NEVER;
    }
    return ms;
  });

export const flagSchemas = {
  seed: intFlag('seed', 0, 0xffffffff),
  workers: intFlag('workers', 0, 64),
  port: intFlag('port', 0, 65535),
  partitions: intFlag('partitions', 1, 1024),
  'window-ticks': intFlag('window-ticks', 1, 100_000),
  limit: intFlag('limit', 1, 10_000),
  parallel: intFlag('parallel', 1, 64),
  'max-runs': intFlag('max-runs', 1, 10_000),
  'max-deliver': intFlag('max-deliver', 1, 100),
  pace: z.string().transform((s, ctx) => {
    if (s === 'turbo') return 'turbo' as const;
    const n = Number(s);
    if (!Number.isFinite(n) || n <= 0) {
      ctx.addIssue({
        code: 'custom',
        message: `--pace must be 'turbo' or a positive ratio of sim ms per real ms (got '${s}')`,
      });
      return z.NEVER;
    }
    return n;
  }),
  duration: durationFlag('duration'),
  budget: durationFlag('budget'),
  'ack-wait': durationFlag('ack-wait'),
};

/** Validate one flag value; undefined stays undefined. */
export function flag<K extends keyof typeof flagSchemas>(
  name: K,
  value: unknown,
): z.output<(typeof flagSchemas)[K]> | undefined {
  if (value === undefined) return undefined;
  const r = flagSchemas[name].safeParse(value);
  if (!r.success) throw usageError(r.error.issues[0].message, name);
  return r.data as z.output<(typeof flagSchemas)[K]>;
}

/** `--policy customerSpawnRate=0.5` -> {customerSpawnRate: 0.5}; a value that is not JSON stays a string. */
export function policyFlags(flags: readonly string[]): Record<string, unknown> {
  const policies: Record<string, unknown> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw usageError(`--policy must look like name=value (got '${flag}')`, 'policy');
    const value = flag.slice(eq + 1);
    let parsed: unknown = value;
    try {
      parsed = JSON.parse(value);
    } catch {
      // A plain word: keep it as a string.
    }
    Object.defineProperty(policies, flag.slice(0, eq), {
      value: parsed,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return policies;
}
