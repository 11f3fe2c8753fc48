// Finds and validates scenarios against the pack catalogue. A scenario is named `<pack>/<name>`
// (scenarios/<pack>/<name>.json), `<pack>` alone (its default scenario), a bare runbook name of a
// pack that allows them (`baseline`), or, from the command line only, a path to a JSON file.
// Every failure is a TickworkError naming the bad field.
import { closestName, unknownNameMessage } from '../edge/did-you-mean.js';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { TickworkError } from '../errors.js';
import { refuseProtoKeys } from '../json-keys.js';
import type { PackCatalogue } from '../packs/pack-catalogue.js';
import { scenarioSchema, type Scenario } from './scenario-schema.js';
import { RUNTIME_POLICY_PREFIX, runtimePoliciesSchema } from '../packs/runtime-policies.js';

/** A scenario name is lower-case words; anything else is not looked up in the catalogue. */
const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export interface ScenarioLookup {
  /** Whether a path to a JSON file may be given (the CLI: the user's own files). Never over HTTP. */
  allowFiles?: boolean;
}

export interface BuiltinScenario {
  /** Canonical name, `<pack>/<name>`. */
  ref: string;
  pack: string;
  name: string;
  file: string;
}

/** Every scenario file the packs bring, in pack then name order. */
export function builtinScenarios(packs: PackCatalogue): BuiltinScenario[] {
  return packs.all().flatMap((m) => {
    if (!m.contract.scenarios || !existsSync(m.contract.scenarios.dir)) return [];
    return readdirSync(m.contract.scenarios.dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5))
      .sort()
      .map((name) => ({
        ref: `${m.name}/${name}`,
        pack: m.name,
        name,
        file: path.join(m.contract.scenarios!.dir, `${name}.json`),
      }));
  });
}

/** The file behind a scenario name, or undefined when the catalogue has none by that name. */
export function resolveBuiltin(packs: PackCatalogue, ref: string): BuiltinScenario | undefined {
  const all = builtinScenarios(packs);
  const [first, second, ...rest] = ref.split('/');
  if (rest.length > 0 || !NAME.test(first) || (second !== undefined && !NAME.test(second))) return undefined;
  if (second !== undefined) return all.find((s) => s.pack === first && s.name === second);
  if (packs.has(first)) {
    const m = packs.get(first);
    return m.contract.scenarios
      ? all.find((s) => s.pack === first && s.name === m.contract.scenarios!.default)
      : undefined;
  }
  return all.find((s) => s.name === first && packs.get(s.pack).contract.scenarios?.bareNames);
}

export function loadScenario(
  packs: PackCatalogue,
  ref: string,
  lookup: ScenarioLookup = { allowFiles: true },
): Scenario {
  const builtin = resolveBuiltin(packs, ref);
  const looksLikePath = ref.endsWith('.json') || ref.includes(path.sep) || ref.startsWith('.');
  let file: string;
  if (builtin) file = builtin.file;
  else if (looksLikePath && lookup.allowFiles) file = path.resolve(ref);
  else {
    const refs = builtinScenarios(packs).map((s) => s.ref);
    const name = ref.slice(0, 100);
    // A typo of a ref (`pack/nmae`) or of a bare name (`nmae`) is named back.
    const guess = closestName(name, refs) ?? closestName(name, [...new Set(refs.map((r) => r.split('/').pop()!))]);
    throw new TickworkError(
      'TW_ERR_SCENARIO_NOT_FOUND',
      `unknown scenario '${name}'${guess ? ` (did you mean '${guess}'?)` : ''} (built in: ${refs.join(', ')})`,
      'scenario',
    );
  }
  if (!builtin && !existsSync(file))
    throw new TickworkError('TW_ERR_SCENARIO_NOT_FOUND', `scenario file not found: ${ref}`, 'scenario');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'), refuseProtoKeys);
  } catch (err) {
    // The parser's message quotes the file's content: say where it failed, never what it read.
    const message = (err as Error).message;
    const where =
      /position \d+/.exec(message)?.[0] ?? (message.includes('__proto__') ? 'a "__proto__" key' : undefined);
    throw new TickworkError('TW_ERR_SCENARIO_INVALID', `${ref}: not valid JSON${where ? ` (at ${where})` : ''}`);
  }
  return parseScenario(packs, raw, ref);
}

export function parseScenario(packs: PackCatalogue, raw: unknown, source = 'scenario'): Scenario {
  const result = scenarioSchema.safeParse(raw);
  if (!result.success) throw zodToTickworkError(result.error, 'TW_ERR_SCENARIO_INVALID', source);
  const data = result.data;
  if (!packs.has(data.pack)) {
    throw new TickworkError(
      'TW_ERR_SCENARIO_INVALID',
      `${source}: pack: unknown pack '${data.pack}' (known: ${packs.names().join(', ')})`,
      'pack',
    );
  }
  const contract = packs.contract(data.pack);
  const invariants = data.invariants.map((ref, i) => {
    if (typeof ref !== 'string') return ref;
    const spec = Object.hasOwn(contract.invariants, ref) ? contract.invariants[ref] : undefined;
    if (!spec) {
      const known = Object.keys(contract.invariants).join(', ');
      throw new TickworkError(
        'TW_ERR_SCENARIO_INVALID',
        `${source}: invariants.${i}: unknown invariant '${ref}' for pack ${data.pack} (known: ${known})`,
        `invariants.${i}`,
      );
    }
    return { id: ref, ...spec };
  });
  checkPolicies(packs, data.pack, data.policies, 'TW_ERR_SCENARIO_INVALID', source, ['policies']);
  data.events.forEach((e, i) =>
    checkEvent(packs, data.pack, e.type, e.parameters, 'TW_ERR_SCENARIO_INVALID', source, ['events', i]),
  );
  if (data.ramp) {
    const base = data.policies[data.ramp.policy];
    if (typeof base !== 'number') {
      throw new TickworkError(
        'TW_ERR_SCENARIO_INVALID',
        `${source}: ramp.policy: '${data.ramp.policy}' must be a numeric policy set in this scenario's policies`,
        'ramp.policy',
      );
    }
    // The last step must be a value the pack accepts: a ramp cannot climb past a policy's cap.
    const hours = data.duration.simHours ?? (data.duration.simMinutes ?? 0) / 60;
    const lastStep = Math.max(0, Math.ceil((hours * 60) / data.ramp.everyMin) - 1);
    checkPolicies(
      packs,
      data.pack,
      { [data.ramp.policy]: base * data.ramp.factor ** lastStep },
      'TW_ERR_SCENARIO_INVALID',
      `${source}: ramp step ${lastStep}`,
      ['policies'],
    );
  }
  data.chaos?.recovery?.gates.forEach((id, i) => {
    if (!invariants.some((spec) => spec.id === id)) {
      throw new TickworkError(
        'TW_ERR_SCENARIO_INVALID',
        `${source}: chaos.recovery.gates.${i}: '${id}' is not one of this scenario's invariants`,
        `chaos.recovery.gates.${i}`,
      );
    }
  });
  return { ...data, invariants };
}

type InputErrorCode = 'TW_ERR_SCENARIO_INVALID' | 'TW_ERR_VALIDATION';

/** Policies against the pack's contract (scenario files, HTTP bodies). */
export function checkPolicies(
  packs: PackCatalogue,
  pack: string,
  policies: unknown,
  code: InputErrorCode,
  source: string,
  at: readonly PropertyKey[],
): void {
  // `runtime.*` names belong to the runtime's schema, every other name to the pack's.
  const own: Record<string, unknown> = {};
  const runtime: Record<string, unknown> = {};
  const isObject = typeof policies === 'object' && policies !== null && !Array.isArray(policies);
  if (isObject)
    for (const [k, v] of Object.entries(policies)) (k.startsWith(RUNTIME_POLICY_PREFIX) ? runtime : own)[k] = v;
  const schema = packs.contract(pack).policies;
  refuseUnknownNames(schema, own, `${pack} policy`, code, source, at);
  refuseUnknownNames(runtimePoliciesSchema, runtime, 'runtime policy', code, source, at);
  const checked = schema.safeParse(isObject ? own : policies);
  if (!checked.success) throw zodToTickworkError(checked.error, code, source, at);
  const runtimeChecked = runtimePoliciesSchema.safeParse(runtime);
  if (!runtimeChecked.success) throw zodToTickworkError(runtimeChecked.error, code, source, at);
}

/** A name an object schema does not know gets the list of those it does, and the closest one. */
function refuseUnknownNames(
  schema: z.ZodType,
  given: Record<string, unknown>,
  what: string,
  code: InputErrorCode,
  source: string,
  at: readonly PropertyKey[],
): void {
  if (!('shape' in schema)) return;
  const known = Object.keys(schema.shape as object);
  const unknown = Object.keys(given).find((k) => !known.includes(k));
  if (unknown === undefined) return;
  const message = `${source}: ${unknownNameMessage(what, unknown, known)}`;
  throw new TickworkError(code, message, [...at, unknown].map(String).join('.'));
}

/** An event type and its parameters against the pack's contract; returns the parameters with defaults filled in. */
export function checkEvent(
  packs: PackCatalogue,
  pack: string,
  type: string,
  parameters: Record<string, unknown>,
  code: InputErrorCode,
  source: string,
  at: readonly PropertyKey[],
): Record<string, unknown> {
  const events = packs.contract(pack).events;
  const schema = Object.hasOwn(events, type) ? events[type] : undefined;
  if (!schema) {
    const typePath = [...at, 'type'].map(String).join('.');
    const known = Object.keys(events);
    throw new TickworkError(
      code,
      `${source}: ${typePath}: unknown event '${type}' (${known.length ? `known: ${known.join(', ')}` : `pack ${pack} has no events`})`,
      typePath,
    );
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
