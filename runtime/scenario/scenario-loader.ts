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
  if (contract.policies) {
    const policies = contract.policies.safeParse(data.policies);
    if (!policies.success) throw zodToTickworkError(policies.error, 'TW_ERR_SCENARIO_INVALID', source, ['policies']);
  }
  if (contract.events) {
    data.events.forEach((e, i) => {
      const schema = contract.events![e.type];
      if (!schema) {
        const known = Object.keys(contract.events!).join(', ');
        throw new TickworkError('TW_ERR_SCENARIO_INVALID', `${source}: events.${i}.type: unknown event '${e.type}' (known: ${known})`, `events.${i}.type`);
      }
      const parameters = schema.safeParse(e.parameters);
      if (!parameters.success) throw zodToTickworkError(parameters.error, 'TW_ERR_SCENARIO_INVALID', source, ['events', i, 'parameters']);
    });
  }
  return { ...data, invariants };
}

/** The first zod issue as a one-line error with its field path. */
export function zodToTickworkError(
  error: z.ZodError,
  code: 'TW_ERR_SCENARIO_INVALID' | 'TW_ERR_VALIDATION',
  source: string,
  /** Where the validated value sits in the whole input (e.g. ['policies']). */
  prefix: readonly PropertyKey[] = [],
): TickworkError {
  const issue = error.issues[0];
  const fieldPath = [...prefix, ...issue.path].map(String).join('.') || '(root)';
  return new TickworkError(code, `${source}: ${fieldPath}: ${issue.message}`, fieldPath);
}
