// The directions of the architecture: runtime/ knows no pack and no server (only the composition
// root, runtime/cli/main.ts, wires them together); server/ knows no pack; no pack is named in
// either. A new pack is a folder under actors/ and one line in actors/index.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PACKS, ROOT } from './helpers.js';

const COMPOSITION_ROOT = 'runtime/cli/main.ts';

function files(dir: string, exts: readonly string[]): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return files(full, exts);
    return exts.some((e) => full.endsWith(e)) ? [path.relative(ROOT, full)] : [];
  });
}

/** Top-level folders a file's relative imports reach (static and dynamic). */
function importedRoots(rel: string): string[] {
  const source = readFileSync(path.join(ROOT, rel), 'utf8');
  const specifiers = [...source.matchAll(/(?:from|import\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]);
  return specifiers.map((s) => path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, rel)), s)).split(path.sep)[0]);
}

function offenders(dir: string, forbidden: readonly string[], except: readonly string[] = []): string[] {
  return files(path.join(ROOT, dir), ['.ts'])
    .filter((rel) => !except.includes(rel))
    .flatMap((rel) => importedRoots(rel).filter((root) => forbidden.includes(root)).map((root) => `${rel} imports ${root}/`));
}

test('runtime/ imports neither actors/ nor server/, except the composition root', () => {
  assert.equal(offenders('runtime', ['actors', 'server'], [COMPOSITION_ROOT]), []);
  assert.ok(importedRoots(COMPOSITION_ROOT).includes('actors'), 'the composition root is where the packs come in');
});

test('server/ imports no pack', () => {
  assert.equal(offenders('server', ['actors']), []);
});

/**
 * Pack names that are also words of the code itself (`db.exec(`, `regex.exec(`): for these, a
 * mention is the name as a string or a path segment, or a prefix of its metrics (`exec_sim_`).
 */
const CODE_WORDS = new Set(['exec']);

test('no file under runtime/ or server/ names a pack', () => {
  const names = [...PACKS.names()];
  assert.ok(names.includes('simcity') && names.includes('exec'), 'the check knows the packs');
  const mentions = names.map((n) => (CODE_WORDS.has(n) ? `(?:^|[\\s'"\`/])${n}['"\`/]|\\b${n}[_.][a-z]` : `\\b${n}\\b`));
  const pattern = new RegExp(mentions.join('|'), 'i');
  const hits = [...files(path.join(ROOT, 'runtime'), ['.ts']), ...files(path.join(ROOT, 'server'), ['.ts', '.js', '.html', '.css'])].filter((rel) =>
    pattern.test(readFileSync(path.join(ROOT, rel), 'utf8')),
  );
  assert.equal(hits, []);
});

test('the checks see imports: a file that imports a pack is caught', () => {
  assert.equal(importedRoots('actors/index.ts').filter((r) => r === 'runtime').length > 0, true);
  assert.ok(offenders('actors', ['runtime']).length > 0, 'the scan finds relative imports');
});

test.run();
