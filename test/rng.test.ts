// Actor streams live as words in a shared array (runtime/rng.ts StreamCursor) rather than in
// pure-rand generator objects: they must draw exactly what pure-rand's xoroshiro128+ draws.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { deriveSeed, RngView, seedStreamWords, StreamCursor } from '../runtime/rng.js';

/** The stream an actor's words must reproduce: pure-rand's generator from the derived seed. */
const createStream = (runSeed: number, streamId: number) => xoroshiro128plus(deriveSeed(runSeed, streamId));

test('seeded words are the state pure-rand gives for the same stream', () => {
  const words = new Int32Array(12);
  for (const [runSeed, actor] of [
    [1, 0],
    [42, 123_456],
    [0xffffffff, 2 ** 40 + 3],
  ]) {
    seedStreamWords(words, 4, runSeed, actor);
    assert.equal(Array.from(words.subarray(4, 8)), [...createStream(runSeed, actor).getState()]);
  }
});

test('a cursor draws what pure-rand draws, stream by stream, interleaved', () => {
  const streams = 5;
  const words = new Int32Array(streams * 4);
  const reference = Array.from({ length: streams }, (_, s) => createStream(7, s));
  for (let s = 0; s < streams; s++) seedStreamWords(words, s * 4, 7, s);
  const cursor = new StreamCursor(words);
  // Interleave streams as a tick does: every stream's state must stay its own.
  for (let round = 0; round < 2000; round++) {
    const s = (round * 3) % streams;
    cursor.at = s * 4;
    assert.is(cursor.next(), reference[s].next());
  }
  for (let s = 0; s < streams; s++) {
    cursor.at = s * 4;
    assert.equal([...cursor.getState()], [...reference[s].getState()]);
    const clone = cursor.clone();
    assert.is(clone.next(), reference[s].next());
  }
});

test('distributions over a cursor match pure-rand over its own generator', () => {
  const words = new Int32Array(4);
  seedStreamWords(words, 0, 99, 5);
  const view = new RngView(new StreamCursor(words));
  const reference = createStream(99, 5);
  for (let i = 0; i < 1000; i++) {
    assert.is(view.int(0, 1000), uniformInt(reference, 0, 1000));
    assert.is(view.int(-(2 ** 31), 2 ** 31 - 1), uniformInt(reference, -(2 ** 31), 2 ** 31 - 1));
    assert.is(view.int(0, 2 ** 40), uniformInt(reference, 0, 2 ** 40));
    assert.is(view.float(), uniformFloat64(reference));
  }
});

test('integer draws take the same values as pure-rand for every kind of range', () => {
  // One value, two, a power of two, negative bounds, and sizes where pure-rand rejects often
  // (3 * 2^29 values: a quarter of all draws) or rarely (2^31 - 1 values, the most the integer
  // path takes; one more goes to pure-rand itself).
  const ranges: [number, number][] = [
    [7, 7],
    [0, 1],
    [0, 2],
    [0, 1023],
    [-5, 5],
    [-(2 ** 30), 2 ** 30],
    [0, 3 * 2 ** 29 - 1],
    [-(2 ** 31), -2],
    [0, 2 ** 31 - 1],
  ];
  const words = new Int32Array(4);
  seedStreamWords(words, 0, 3, 11);
  const view = new RngView(new StreamCursor(words));
  const reference = createStream(3, 11);
  for (let i = 0; i < 2000; i++) {
    for (const [from, to] of ranges)
      assert.is(view.int(from, to), uniformInt(reference, from, to), `int(${from}, ${to}), draw ${i}`);
  }
});

test('a named stream depends on the seed and the name alone', async () => {
  const { namedRng } = await import('../runtime/rng.js');
  const a = namedRng(7, 'intent-42');
  const first = Array.from({ length: 8 }, () => a.int(0, 1_000_000));
  const again = namedRng(7, 'intent-42');
  assert.equal(
    Array.from({ length: 8 }, () => again.int(0, 1_000_000)),
    first,
  );
  const b = namedRng(7, 'intent-43');
  const c = namedRng(8, 'intent-42');
  assert.not.equal(
    Array.from({ length: 8 }, () => b.int(0, 1_000_000)),
    first,
    'another name, another stream',
  );
  assert.not.equal(
    Array.from({ length: 8 }, () => c.int(0, 1_000_000)),
    first,
    'another seed, another stream',
  );
});

test.run();
