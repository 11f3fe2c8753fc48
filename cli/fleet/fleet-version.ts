// What an agent and a sweep must agree on to give the same digests: the package version and a
// fingerprint of the code and scenarios that decide a run (two builds of one version can differ).
// A job carries its submitter's; an agent takes only jobs of its own.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT, PACKAGE_VERSION } from '../../runtime/package-root.js';

/** The compiled engine and packs, and the scenario files, relative to the package root. */
const DECIDING = ['dist/runtime', 'dist/actors', 'scenarios'];

let memo: string | undefined;

/** `0.1.0+1a2b3c4d5e`: the package version and a hash of what decides a run. */
export function fleetVersion(): string {
  if (memo) return memo;
  const hash = createHash('sha256');
  for (const dir of DECIDING) {
    const root = path.join(PACKAGE_ROOT, dir);
    let files: string[];
    try {
      files = (readdirSync(root, { recursive: true }) as string[])
        .filter((f) => f.endsWith('.js') || f.endsWith('.json'))
        .sort();
    } catch {
      continue; // not shipped in this install
    }
    for (const f of files) hash.update(`${dir}/${f}\0`).update(readFileSync(path.join(root, f)));
  }
  memo = `${PACKAGE_VERSION}+${hash.digest('hex').slice(0, 10)}`;
  return memo;
}

/** The version as one NATS subject token (no dots). */
export const versionToken = (version: string) => version.replace(/[^A-Za-z0-9_-]/g, '_');
