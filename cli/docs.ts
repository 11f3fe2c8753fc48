// `npm run docs`: writes the generated reference pages. docs/limits.md comes from runtime/limits.ts
// and each pack's `surfaces.limits`; test/docs.test.ts fails when the page on disk is stale.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PACKS } from '../actors/index.js';
import { limitsMarkdown } from '../runtime/limits.js';
import { PACKAGE_ROOT } from '../runtime/package-root.js';
import type { PackCatalogue } from '../runtime/packs/pack-catalogue.js';

export const LIMITS_PAGE = path.join(PACKAGE_ROOT, 'docs', 'limits.md');

/** The limits page for a catalogue: the engine's rows, then each pack's own. */
export function limitsPage(packs: PackCatalogue): string {
  return limitsMarkdown(packs.all().map((m) => ({ pack: m.name, rows: m.surfaces?.limits ?? [] })));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(PACKAGE_ROOT, 'dist', 'cli', 'docs.js')) {
  writeFileSync(LIMITS_PAGE, limitsPage(PACKS));
  console.log(`wrote ${path.relative(process.cwd(), LIMITS_PAGE)}`);
}
