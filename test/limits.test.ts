// Limits: a runaway sender fails the run with a message that says what overflowed and which
// policy raises the bound, instead of growing the heap until the process dies.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runIt, scenario } from './helpers.js';

// Actor 0 sends 1,000 messages to actor 1, all due at sim minute 4: they land in partition 1's mailbox together.
const flood = (limit: number) =>
  scenario({
    pack: 'probe',
    tickMs: 1000,
    partitions: 2,
    duration: { simMinutes: 5 },
    policies: {
      'probe.actors': [{ kind: 'sender', args: { to: 1, count: 1000, delays: [240_000] } }, { kind: 'recorder' }],
      'runtime.maxMailboxMessages': limit,
    },
  });

for (const workers of [0, 2]) {
  test(`a mailbox over its limit fails the run and names the policy (workers ${workers})`, async () => {
    const { summary } = await runIt(flood(500), { workers });
    assert.is(summary.status, 'failed');
    assert.is(summary.passed, false);
    assert.match(
      summary.error ?? '',
      /partition 1 holds 1000 undelivered messages, over the limit of 500 \(policy runtime\.maxMailboxMessages\)/,
    );
  });
}

test('under the limit the same flood is fine', async () => {
  const { summary } = await runIt(flood(5000), { workers: 0 });
  assert.is(summary.status, 'completed');
});

test('an outside input nested past the bound is refused at the edge, never logged; the run goes on', async () => {
  let nested: unknown = 0;
  for (let i = 0; i < 5000; i++) nested = [nested];
  const refusals: string[] = [];
  const { summary } = await runIt(flood(5000), { workers: 0 }, {}, (run) => {
    try {
      run.submit({ kind: 'message', to: 1, body: nested });
    } catch (err) {
      refusals.push((err as { code: string; message: string }).code + ': ' + (err as Error).message);
    }
    run
      .submitLogged({ kind: 'message', to: 1, body: { long: 'x'.repeat(2 * 1024 * 1024) } })
      .catch((err) => refusals.push(`${err.code}: ${err.message}`));
  });
  assert.is(summary.status, 'completed');
  assert.is(summary.inputs, 0, 'nothing reached the input log');
  assert.equal(refusals, [
    'TW_ERR_VALIDATION: an input may nest at most 64 levels',
    'TW_ERR_VALIDATION: an input may hold at most 1048576 characters',
  ]);
});

test.run();
