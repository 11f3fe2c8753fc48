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

test.run();
