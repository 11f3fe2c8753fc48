// The directions of the architecture, bottom to top: the engine (runtime/) imports nothing above
// it; a pack (actors/) imports the engine's published surface (runtime/sdk.ts) and nothing else of
// it, and never the server or the CLI; the server imports the engine and never a pack or the CLI;
// the CLI, the composition root, may import anything. No import cycle is made of value imports,
// anywhere. No file under runtime/ or server/ names a pack: a new pack is a folder under actors/
// and one line in actors/index.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { PACKS, ROOT } from './helpers.js';

const SDK = 'runtime/sdk.ts';

function files(dir: string, exts: readonly string[]): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return files(full, exts);
    return exts.some((e) => full.endsWith(e)) && !full.endsWith('.d.ts') ? [path.relative(ROOT, full)] : [];
  });
}

interface Edge {
  /** Repository-relative path of the imported file (`.ts`, or the asset as named). */
  readonly to: string;
  /** Erased at compile time (`import type`, or every named binding marked `type`). */
  readonly typeOnly: boolean;
}

/** Relative imports of one file (static, dynamic and re-exports), resolved to repository paths. */
function importsOf(rel: string): Edge[] {
  const source = readFileSync(path.join(ROOT, rel), 'utf8');
  const sf = ts.createSourceFile(rel, source, ts.ScriptTarget.Latest, true);
  const edges: Edge[] = [];
  const add = (spec: string, typeOnly: boolean) => {
    if (!spec.startsWith('.')) return;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec));
    edges.push({ to: target.endsWith('.js') ? `${target.slice(0, -3)}.ts` : target, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named =
        clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly || (!clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      add(
        node.moduleSpecifier.text,
        node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)),
      );
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) add(arg.text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edges;
}

const LAYERS = ['runtime', 'actors', 'server', 'cli'] as const;
const SOURCES = LAYERS.flatMap((dir) => files(path.join(ROOT, dir), ['.ts']));
const GRAPH = new Map(SOURCES.map((rel) => [rel, importsOf(rel)]));
const rootOf = (rel: string) => rel.split('/')[0];

/** Each import that crosses into a layer its file may not use, as `file -> target`. */
function violations(layer: string, allowed: (target: string) => boolean): string[] {
  return [...GRAPH]
    .filter(([rel]) => rootOf(rel) === layer)
    .flatMap(([rel, edges]) => edges.filter((e) => !allowed(e.to)).map((e) => `${rel} -> ${e.to}`));
}

test('the engine (runtime/) imports nothing above it', () => {
  assert.equal(
    violations('runtime', (to) => rootOf(to) === 'runtime'),
    [],
  );
});

test('a pack imports the engine only through its published surface, and never the server or the CLI', () => {
  assert.equal(
    violations('actors', (to) => rootOf(to) === 'actors' || to === SDK),
    [],
  );
});

test('the server imports the engine and itself, never a pack or the CLI', () => {
  assert.equal(
    violations('server', (to) => rootOf(to) === 'runtime' || rootOf(to) === 'server'),
    [],
  );
});

test('no import cycle is made of value imports', () => {
  // Tarjan's strongly connected components over value edges between source files.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const valueEdges = (rel: string) =>
    (GRAPH.get(rel) ?? []).filter((e) => !e.typeOnly && GRAPH.has(e.to)).map((e) => e.to);
  const connect = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of valueEdges(v)) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || valueEdges(v).includes(v)) cycles.push(component.sort());
  };
  for (const rel of GRAPH.keys()) if (!index.has(rel)) connect(rel);
  assert.equal(cycles, []);
});

test('the published surface lists only engine files', () => {
  const edges = GRAPH.get(SDK) ?? [];
  assert.ok(edges.length > 10, 'the surface re-exports the engine');
  assert.equal(
    edges.filter((e) => rootOf(e.to) !== 'runtime'),
    [],
  );
});

/**
 * Pack names that are also words of the code itself (`db.exec(`, `regex.exec(`): for these, a
 * mention is the name as a string or a path segment, or a prefix of its metrics (`exec_sim_`).
 */
const CODE_WORDS = new Set(['exec']);

test('no file under runtime/ or server/ names a pack', () => {
  const names = [...PACKS.names()];
  assert.ok(names.includes('simcity') && names.includes('exec'), 'the check knows the packs');
  const mentions = names.map((n) =>
    CODE_WORDS.has(n) ? `(?:^|[\\s'"\`/])${n}['"\`/]|\\b${n}[_.][a-z]` : `\\b${n}\\b`,
  );
  const pattern = new RegExp(mentions.join('|'), 'i');
  const hits = [
    ...files(path.join(ROOT, 'runtime'), ['.ts']),
    ...files(path.join(ROOT, 'server'), ['.ts', '.js', '.html', '.css']),
  ].filter((rel) => pattern.test(readFileSync(path.join(ROOT, rel), 'utf8')));
  assert.equal(hits, []);
});

test('the checks see imports: a layer crossing and a cycle are caught', () => {
  assert.ok(
    violations('actors', (to) => rootOf(to) === 'actors').some((v) => v.endsWith(SDK)),
    'the scan finds relative imports of the surface',
  );
  assert.ok(
    violations('cli', (to) => rootOf(to) === 'cli').some((v) => v.includes('-> actors/')),
    'the composition root brings the packs in',
  );
});

test.run();
