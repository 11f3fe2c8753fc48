// Determinism by construction: nothing under runtime/ or actors/ reads wall time or unseeded
// randomness, except the pacing module (and the CLI edge, which picks and prints a seed).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers.js';

const FORBIDDEN = /Date\.now\(|Math\.random\(|new Date\(|performance\.now\(/;
const ALLOWED = new Set(['runtime/pacing.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

test('no wall clock or Math.random under runtime/ or actors/ outside the pacing module', () => {
  const offenders: string[] = [];
  const files = [...sources(path.join(ROOT, 'runtime')), ...sources(path.join(ROOT, 'actors'))];
  assert.ok(files.length > 20, 'scanned the source tree');
  for (const file of files) {
    const rel = path.relative(ROOT, file);
    if (ALLOWED.has(rel)) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (FORBIDDEN.test(line) && !line.trim().startsWith('//')) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.equal(offenders, []);
});

test.run();
