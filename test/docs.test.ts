// The reference pages that are generated stay in step with the code they describe.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { LIMITS_PAGE, limitsPage } from '../cli/docs.js';
import { LIMIT_ROWS, SERVER_LIMITS } from '../runtime/limits.js';
import { PACKS } from './helpers.js';

test('docs/limits.md is what runtime/limits.ts and the packs declare (npm run docs regenerates it)', () => {
  assert.fixture(readFileSync(LIMITS_PAGE, 'utf8'), limitsPage(PACKS));
});

test('the limits page states the values the code enforces, and every pack that declares limits', () => {
  const page = limitsPage(PACKS);
  assert.ok(
    page.includes(`| active runs per server | ${SERVER_LIMITS.maxActiveRuns} (503`),
    'a value comes from the constant',
  );
  for (const row of LIMIT_ROWS) assert.ok(page.includes(`| ${row.what} |`), row.what);
  for (const pack of PACKS.all())
    if (pack.surfaces?.limits?.length) assert.ok(page.includes(`## ${pack.name}\n`), pack.name);
});

test.run();
