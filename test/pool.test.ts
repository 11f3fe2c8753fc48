// Worker threads outlive a run: the next run with the same worker count attaches to them warm,
// and a run on reused threads is the same run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WarmThreads } from '../runtime/pool/warm-threads.js';
import { runIt, smallLedger } from './helpers.js';

test('released threads go to the next run with the same worker count, and only to one', async () => {
  const first = WarmThreads.acquire(3);
  const other = WarmThreads.acquire(3);
  assert.is.not(first, other, 'two live runs never share threads');
  const idleBefore = WarmThreads.idleThreadCount();
  first.release();
  first.release(); // a second release must not hand the same threads to two runs
  assert.is(WarmThreads.idleThreadCount(), idleBefore + 3, 'its three threads wait, counted once');
  assert.is(WarmThreads.acquire(3), first, 'the released pool is handed on');
  assert.is(WarmThreads.idleThreadCount(), idleBefore);
  const third = WarmThreads.acquire(3);
  assert.is.not(third, first, 'and not twice');
  await Promise.all([first, other, third].map((t) => t.pool.destroy()));
});

test('runs on reused threads give the digest of the first run on them', async () => {
  const sc = smallLedger({ duration: { simMinutes: 20 } });
  const digests: string[] = [];
  for (let i = 0; i < 3; i++) digests.push((await runIt(sc, { seed: 21, workers: 2 })).summary.digest);
  assert.equal(new Set(digests).size, 1, digests.join(' '));
});

test.run();
