// A sweep's plan: every run it makes, the cartesian product of its seeds and the values given for
// each swept policy (Mesa's batch_run grid). Parsed from the command line; pure, so the plan
// of a sweep is known and checked before any run starts.
import { usageError } from '../edge/exit-codes.js';

export const SWEEP_LIMITS = {
  /** Runs one sweep may make: seeds × parameter sets. */
  maxRuns: 10_000,
  /** Values one swept policy may take. */
  maxValues: 100,
  /** The largest seed a sweep or a hunt uses (31 bits, so seeds read easily). */
  maxSeed: 2 ** 31 - 1,
};

/** The label a sweep's runs are stored with (`tickwork runs --sweep <id>`). */
export const sweepLabel = (sweepId: string) => `sweep:${sweepId}`;

/** The label a hunt's runs are stored with (`tickwork runs --label hunt:<id>`). */
export const huntLabel = (huntId: string) => `hunt:${huntId}`;

/** `1..100`, `3,7,9`, `5`, or a mix: `1..10,42`. In the order given, duplicates dropped. */
export function parseSeeds(spec: string): number[] {
  const seeds = new Set<number>();
  for (const part of spec.split(',')) {
    const range = /^\s*(\d+)\s*(?:\.\.\s*(\d+)\s*)?$/.exec(part);
    if (!range) throw usageError(`--seeds takes N, A..B or a comma list of them (got '${spec}')`, 'seeds');
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (to < from || to > SWEEP_LIMITS.maxSeed)
      throw usageError(`--seeds range ${part.trim()} must go up, within 0..${SWEEP_LIMITS.maxSeed}`, 'seeds');
    if (to - from + 1 > SWEEP_LIMITS.maxRuns)
      throw usageError(`--seeds ${part.trim()} is more than ${SWEEP_LIMITS.maxRuns} seeds`, 'seeds');
    for (let s = from; s <= to; s++) seeds.add(s);
  }
  return [...seeds];
}

/** Split on the commas that are not inside brackets, braces or a JSON string. */
function topLevelParts(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** One swept policy: `name=v1,v2,...`, each value JSON when it parses as JSON, else a string (as --policy). */
export function parsePolicyAxis(flag: string): { name: string; values: unknown[] } {
  const eq = flag.indexOf('=');
  if (eq <= 0) throw usageError(`--policy must look like name=v1,v2,... (got '${flag}')`, 'policy');
  const name = flag.slice(0, eq);
  const values = topLevelParts(flag.slice(eq + 1)).map((raw) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw; // a plain word
    }
  });
  if (values.length > SWEEP_LIMITS.maxValues)
    throw usageError(`--policy ${name} has ${values.length} values; at most ${SWEEP_LIMITS.maxValues}`, 'policy');
  return { name, values };
}

export interface SweepCase {
  seed: number;
  /** The swept policies' values for this run (empty: the scenario's own). */
  policies: Record<string, unknown>;
  /** The parameter set, as a person reads it: `name=value ...`, or `defaults`. */
  params: string;
}

/** Every run of the sweep: for each parameter set, every seed. */
export function sweepCases(
  seeds: readonly number[],
  axes: readonly { name: string; values: unknown[] }[],
): SweepCase[] {
  let sets: Record<string, unknown>[] = [{}];
  for (const axis of axes) {
    if (sets.some((s) => Object.hasOwn(s, axis.name)))
      throw usageError(`--policy ${axis.name} is given twice; list all its values in one flag`, 'policy');
    sets = sets.flatMap((set) => axis.values.map((v) => ({ ...set, [axis.name]: v })));
  }
  const total = sets.length * seeds.length;
  if (total > SWEEP_LIMITS.maxRuns)
    throw usageError(
      `the sweep would make ${total} runs (${seeds.length} seeds × ${sets.length} parameter sets); at most ${SWEEP_LIMITS.maxRuns}`,
      'seeds',
    );
  return sets.flatMap((policies) => seeds.map((seed) => ({ seed, policies, params: paramsLabel(policies) })));
}

/** The sweep's distinct parameter sets, each once (to check them before any run starts). */
export function parameterSets(cases: readonly SweepCase[]): Record<string, unknown>[] {
  return [...new Map(cases.map((c) => [c.params, c.policies])).values()];
}

/** A parameter set as a person reads it: `name=value ...`, or `defaults` for none. */
export function paramsLabel(policies: Record<string, unknown>): string {
  const entries = Object.entries(policies);
  return entries.length === 0 ? 'defaults' : entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
}
