// The policy service's configuration, as runbook 004 sets it: POLICY_AVAILABLE_VERSIONS,
// POLICY_DEFAULT_VERSION and an allowlist of versions per system_id (POLICY_ALLOWLIST, e.g.
// `citibike-nyc=rebal.greedy.v1|rebal.global.v1;divvy=rebal.greedy.v1`). Checked once at start:
// a misconfiguration is refused with a message that names the variable, not discovered by users.
import { TickworkError } from '../../../../runtime/sdk.js';
import { POLICY_VERSIONS, type PolicyVersion } from '../optimiser/policies.js';

export interface PolicyConfig {
  available: PolicyVersion[];
  defaultVersion: PolicyVersion;
  /** system_id -> versions it may run; a system not listed may run every available version. */
  allowlist: Record<string, PolicyVersion[]>;
}

function refuse(variable: string, message: string): never {
  throw new TickworkError('TW_ERR_VALIDATION', `${variable}: ${message}`, variable);
}

function versionList(variable: string, text: string): PolicyVersion[] {
  const versions = text
    .split(/[,|]/)
    .map((v) => v.trim())
    .filter(Boolean);
  if (versions.length === 0) refuse(variable, 'names no policy version');
  for (const v of versions) {
    if (!(POLICY_VERSIONS as readonly string[]).includes(v))
      refuse(variable, `unknown policy version '${v}' (known: ${POLICY_VERSIONS.join(', ')})`);
  }
  return [...new Set(versions)] as PolicyVersion[];
}

export function policyConfigFromEnv(env: NodeJS.ProcessEnv = process.env): PolicyConfig {
  const available = versionList('POLICY_AVAILABLE_VERSIONS', env.POLICY_AVAILABLE_VERSIONS ?? 'rebal.greedy.v1');
  const defaultVersion = (env.POLICY_DEFAULT_VERSION ?? 'rebal.greedy.v1').trim();
  if (!(available as string[]).includes(defaultVersion))
    refuse(
      'POLICY_DEFAULT_VERSION',
      `'${defaultVersion}' is not in POLICY_AVAILABLE_VERSIONS (${available.join(', ')})`,
    );
  const allowlist: Record<string, PolicyVersion[]> = {};
  for (const entry of (env.POLICY_ALLOWLIST ?? '')
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [system, versions] = entry.split('=');
    if (!system || versions === undefined || !/^[A-Za-z0-9_-]{1,64}$/.test(system.trim()))
      refuse('POLICY_ALLOWLIST', `'${entry}' is not system_id=version|version`);
    const listed = versionList('POLICY_ALLOWLIST', versions);
    const unavailable = listed.filter((v) => !available.includes(v));
    if (unavailable.length > 0)
      refuse(
        'POLICY_ALLOWLIST',
        `${system} allows ${unavailable.join(', ')}, which POLICY_AVAILABLE_VERSIONS does not offer`,
      );
    allowlist[system.trim()] = listed;
  }
  return { available, defaultVersion: defaultVersion as PolicyVersion, allowlist };
}

/** May `system` run `version`? Only available versions, and only those its allowlist names. */
export function allowed(config: PolicyConfig, system: string, version: string): boolean {
  if (!(config.available as string[]).includes(version)) return false;
  const listed = config.allowlist[system];
  return listed === undefined || (listed as string[]).includes(version);
}
