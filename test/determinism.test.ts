// A run is a pure function of (scenario, seed, input log): same digest with 0, 1, 2 or 4
// workers, in turbo or paced mode.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runIt, smallLedger } from './helpers.js';

test('ledger: same seed gives the same digest and message count with 0, 1, 2 and 4 workers', async () => {
  const sc = smallLedger();
  const digests: string[] = [];
  const messages: number[] = [];
  for (const workers of [0, 1, 2, 4]) {
    const { summary } = await runIt(sc, { seed: 11, workers });
    assert.is(summary.status, 'completed');
    assert.ok(summary.messages > 1000, 'transfers flowed');
    digests.push(summary.digest);
    // Mail between partitions of one host never reaches the scheduler; it must still be counted.
    messages.push(summary.messages);
  }
  assert.equal(new Set(digests).size, 1, `digests: ${digests.join(' ')}`);
  assert.equal(new Set(messages).size, 1, `messages: ${messages.join(' ')}`);
});

test('ledger: turbo and paced runs give the same digest', async () => {
  const sc = smallLedger({ duration: { simMinutes: 20 } });
  const turbo = await runIt(sc, { seed: 5, workers: 2, pace: 'turbo' });
  // 20 sim minutes at 2400x is about half a second of wall time, with real sleeps between ticks.
  const paced = await runIt(sc, { seed: 5, workers: 2, pace: 2400 });
  assert.is(paced.summary.digest, turbo.summary.digest);
  assert.ok(paced.summary.metrics['runtime.drift_ms'], 'paced run records drift');
  assert.not.ok(turbo.summary.metrics['runtime.drift_ms'], 'turbo run has no drift to record');
});

test('ledger: a different seed gives a different digest', async () => {
  const sc = smallLedger({ duration: { simMinutes: 10 } });
  const a = await runIt(sc, { seed: 1 });
  const b = await runIt(sc, { seed: 2 });
  assert.is.not(a.summary.digest, b.summary.digest);
});

test('ledger: conservation invariants hold and are judged', async () => {
  const { summary } = await runIt(smallLedger(), { seed: 3, workers: 2 });
  assert.ok(summary.passed);
  const verdicts = Object.fromEntries(summary.invariants.map((i) => [i.id, i.verdict]));
  assert.equal(verdicts, { total: 'pass', nonneg: 'pass' });
  assert.is(summary.gauges['ledger.balance_total'], 400_000);
});

test.run();
