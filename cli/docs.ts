// `npm run docs`: writes the generated reference pages. docs/limits.md comes from runtime/limits.ts
// and each pack's `surfaces.limits`; test/docs.test.ts fails when the page on disk is stale.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PACKS } from '../actors/index.js';
import { limitsMarkdown, STORE_LIMITS } from '../runtime/limits.js';
import { PACKAGE_ROOT } from '../runtime/package-root.js';
import type { PackCatalogue } from '../runtime/packs/pack-catalogue.js';

export const LIMITS_PAGE = path.join(PACKAGE_ROOT, 'docs', 'limits.md');

/** The limits page for a catalogue: the engine's rows, then each pack's own. */
export function limitsPage(packs: PackCatalogue): string {
  const retention = packs
    .retentionRules()
    .map((r) => `| \`${r.table}\` | ${r.rule} | ${r.where ? 'pruned' : 'kept'} |`);
  return [
    limitsMarkdown(packs.all().map((m) => ({ pack: m.name, rows: m.surfaces?.limits ?? [] }))).trimEnd(),
    '',
    '## Retention',
    '',
    `Every table's rule (runtime/store/retention.ts and each pack's \`surfaces.retention\`), applied by \`tickwork prune [--older-than D] [--dry-run]\` and by the control server at start and every ${STORE_LIMITS.pruneEveryMs / 3_600_000} hours. "The retention" is \`TICKWORK_RETENTION\` (default ${STORE_LIMITS.retentionMs / 86_400_000}d; \`off\` stops the server's prunes). The store's size is capped at \`TICKWORK_DB_MAX_MB\` (default ${STORE_LIMITS.defaultMaxMb} MB; \`off\`: the disk is the limit); past it writes fail with \`TW_ERR_STORE\`.`,
    '',
    '| table | rule | |',
    '|---|---|---|',
    ...retention,
    '',
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(PACKAGE_ROOT, 'dist', 'cli', 'docs.js')) {
  writeFileSync(LIMITS_PAGE, limitsPage(PACKS));
  console.log(`wrote ${path.relative(process.cwd(), LIMITS_PAGE)}`);
}
