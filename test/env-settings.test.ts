// Settings from environment variables, as every pack reads them: defaults when unset or blank,
// bounds, whole numbers written as digits, flags; each refusal names its variable.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { envFlag, envNumber } from '../runtime/env-settings.js';

test('numbers: the default when unset or blank, the value within bounds, a refusal naming the variable otherwise', () => {
  assert.is(envNumber({}, 'X', 7, 0, 10), 7);
  assert.is(envNumber({ X: '  ' }, 'X', 7, 0, 10), 7);
  assert.is(envNumber({ X: ' 10 ' }, 'X', 7, 0, 10), 10);
  assert.throws(() => envNumber({ X: '11' }, 'X', 7, 0, 10), /^X: '11' is not a whole number from 0 to 10$/);
  assert.throws(() => envNumber({ X: '5.0' }, 'X', 7, 0, 10), /X: '5.0' is not a whole number/);
  assert.throws(() => envNumber({ X: '1e1' }, 'X', 7, 0, 10), /X: '1e1' is not a whole number/);
  assert.throws(() => envNumber({ X: 'ten' }, 'X', 7, 0, 10), /X: 'ten'/);
  assert.is(envNumber({ X: '0.25' }, 'X', 0.1, 0, 1, false), 0.25);
  assert.throws(() => envNumber({ X: '1.5' }, 'X', 0.1, 0, 1, false), /^X: '1.5' is not a number from 0 to 1$/);
});

test('flags: 1/true on, 0/false/unset off, in any case; anything else refused', () => {
  assert.is(envFlag({}, 'F'), false);
  assert.is(envFlag({ F: 'TRUE' }, 'F'), true);
  assert.is(envFlag({ F: '1' }, 'F'), true);
  assert.is(envFlag({ F: ' false ' }, 'F'), false);
  assert.throws(() => envFlag({ F: 'yes' }, 'F'), /^F: 'yes' is not 1\/0 or true\/false$/);
});

test.run();
