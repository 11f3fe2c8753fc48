// Every error code in the table is documented in docs/errors.md (linked from the README), and every
// documented code exists.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ERRORS } from '../runtime/errors.js';
import { ROOT } from './helpers.js';

test('docs/errors.md lists exactly the error codes of runtime/errors.ts, with their HTTP status', () => {
  const readme = readFileSync(path.join(ROOT, 'docs', 'errors.md'), 'utf8');
  assert.ok(
    readFileSync(path.join(ROOT, 'README.md'), 'utf8').includes('(docs/errors.md)'),
    'the README links the page',
  );
  const documented = [...readme.matchAll(/^\| `(TW_ERR_[A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
  const table = Object.entries(ERRORS).map(([code, e]) => [code, e.status]);
  assert.equal(documented.sort(), table.sort());
});

test.run();
