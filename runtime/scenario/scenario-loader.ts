// Finds and validates scenarios: a built-in name (scenarios/<name>.json) or a path to a JSON file.
// Every failure is a TickworkError naming the bad field.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { PACKAGE_ROOT } from '../package-root.js';
import path from 'node:path';
import { z } from 'zod';
import { TickworkError } from '../errors.js';
import { scenarioSchema, type Scenario } from './scenario-schema.js';
import { packNames } from '../../actors/index.js';
import { packContract } from '../../actors/pack-contracts.js';

export const SCENARIO_DIR = path.join(PACKAGE_ROOT, 'scenarios');

export function builtinScenarioNames(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

export function loadScenario(nameOrPath: string): Scenario {
  const looksLikePath = nameOrPath.endsWith('.json') || nameOrPath.includes('/');
  const file = looksLikePath ? path.resolve(nameOrPath) : path.join(SCENARIO_DIR, `${nameOrPath}.json`);
  if (!existsSync(file)) {
    throw looksLikePath
      ? new TickworkError('TW_ERR_SCENARIO_NOT_FOUND', `scenario file not found: ${nameOrPath}`, 'scenario')
      : new TickworkError(
          'TW_ERR_SCENARIO_NOT_FOUND',
          `unknown scenario '${nameOrPath}' (built in: ${builtinScenarioNames().join(', ')})`,
          'scenario',
        );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new TickworkError('TW_ERR_SCENARIO_INVALID', `${nameOrPath}: not valid JSON (${(err as Error).message})`);
  }
  return parseScenario(raw, nameOrPath);
}

export function parseScenario(raw: unknown, source = 'scenario'): Scenario {
  const result = scenarioSchema.safeParse(raw);
  if (!result.success) throw zodToTickworkError(result.error, 'TW_ERR_SCENARIO_INVALID', source);
  const data = result.data;
  if (!packNames().includes(data.pack)) {
    throw new TickworkError('TW_ERR_SCENARIO_INVALID', `${source}: pack: unknown pack '${data.pack}' (known: ${packNames().join(', ')})`, 'pack');
  }
  const contract = packContract(data.pack);
  const invariants = data.invariants.map((ref, i) => {
    if (typeof ref !== 'string') return ref;
    const spec = contract.invariants[ref];
    if (!spec) {
      const known = Object.keys(contract.invariants).join(', ');
      throw new TickworkError('TW_ERR_SCENARIO_INVALID', `${source}: invariants.${i}: unknown invariant '${ref}' for pack ${data.pack} (known: ${known})`, `invariants.${i}`);
    }
    return { id: ref, ...spec };
  });
  checkPolicies(data.pack, data.policies, 'TW_ERR_SCENARIO_INVALID', source, ['policies']);
  data.events.forEach((e, i) => checkEvent(data.pack, e.type, e.parameters, 'TW_ERR_SCENARIO_INVALID', source, ['events', i]));
  return { ...data, invariants };
}

type InputErrorCode = 'TW_ERR_SCENARIO_INVALID' | 'TW_ERR_VALIDATION';

/** Policies against the pack's contract (scenario files, HTTP bodies); packs without a schema accept any. */
export function checkPolicies(pack: string, policies: unknown, code: InputErrorCode, source: string, at: readonly PropertyKey[]): void {
  const schema = packContract(pack).policies;
  const checked = schema?.safeParse(policies);
  if (checked && !checked.success) throw zodToTickworkError(checked.error, code, source, at);
}

/** An event type and its parameters against the pack's contract; returns the parameters with defaults filled in. */
export function checkEvent(
  pack: string,
  type: string,
  parameters: Record<string, unknown>,
  code: InputErrorCode,
  source: string,
  at: readonly PropertyKey[],
): Record<string, unknown> {
  const events = packContract(pack).events;
  if (!events) return parameters;
  const schema = events[type];
  if (!schema) {
    const typePath = [...at, 'type'].map(String).join('.');
    throw new TickworkError(code, `${source}: ${typePath}: unknown event '${type}' (known: ${Object.keys(events).join(', ')})`, typePath);
  }
  const checked = schema.safeParse(parameters);
  if (!checked.success) throw zodToTickworkError(checked.error, code, source, [...at, 'parameters']);
  return checked.data;
}

/** The first zod issue as a one-line error with its field path. */
export function zodToTickworkError(
  error: z.ZodError,
  code: InputErrorCode,
  source: string,
  /** Where the validated value sits in the whole input (e.g. ['policies']). */
  prefix: readonly PropertyKey[] = [],
): TickworkError {
  const issue = error.issues[0];
  const fieldPath = [...prefix, ...issue.path].map(String).join('.') || '(root)';
  return new TickworkError(code, `${source}: ${fieldPath}: ${issue.message}`, fieldPath);
}
