// Seeded randomness. One run seed derives every stream: each actor draws from its own
// xoroshiro128+ stream keyed by (run seed, actor id), so an actor's draws never depend on which
// other actors ran before it, on which worker it lives, or on how many workers there are.
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** The random source an actor sees: a thin view over its own stream. */
export interface Rng {
  /** Integer in [from, to], both inclusive. */
  int(from: number, to: number): number;
  /** Float in [0, 1). */
  float(): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
}

/** 32-bit avalanche mix (murmur3 finaliser), used to derive stream seeds. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Seed of the stream for `streamId` (an actor id, or a negative id for a runtime stream). */
export function deriveSeed(runSeed: number, streamId: number): number {
  const lo = streamId >>> 0;
  const hi = Math.floor(streamId / 0x100000000) >>> 0;
  return mix32(mix32(runSeed >>> 0) ^ mix32(lo + 0x9e3779b9) ^ mix32(hi ^ 0x7f4a7c15));
}

/**
 * Write the initial state of stream (runSeed, streamId) into `words` at `at`: the four words
 * pure-rand's `xoroshiro128plus(deriveSeed(runSeed, streamId)).getState()` gives, without
 * building a generator and an array per actor (test/rng.test.ts compares the two).
 */
export function seedStreamWords(words: Int32Array, at: number, runSeed: number, streamId: number): void {
  const seed = deriveSeed(runSeed, streamId);
  words[at] = -1;
  words[at + 1] = ~seed;
  words[at + 2] = seed | 0;
  words[at + 3] = 0;
}

/**
 * pure-rand's xoroshiro128+ step, run on state kept in a shared Int32Array (four words per
 * stream, in pure-rand's getState() order: s01, s00, s11, s10) instead of in a generator object
 * per stream. A partition points one cursor at the running actor's words before each step, so a
 * million actors' streams are one typed array, not a million objects. pure-rand's generator keeps
 * its state in private fields with no setter, hence this port of its `next()`;
 * test/rng.test.ts checks it draws exactly what pure-rand's generator draws.
 */
export class StreamCursor implements RandomGenerator {
  /** Index of the current stream's first word. */
  at = 0;

  constructor(public words: Int32Array) {}

  next(): number {
    const w = this.words;
    const i = this.at;
    const s01 = w[i];
    const s00 = w[i + 1];
    const s11 = w[i + 2];
    const s10 = w[i + 3];
    const out = (s00 + s10) | 0;
    const a0 = s10 ^ s00;
    const a1 = s11 ^ s01;
    w[i + 1] = (s00 << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16);
    w[i] = (s01 << 24) ^ (s00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
    w[i + 3] = (a1 << 5) ^ (a0 >>> 27);
    w[i + 2] = (a0 << 5) ^ (a1 >>> 27);
    return out;
  }

  getState(): readonly number[] {
    return Array.from(this.words.subarray(this.at, this.at + 4));
  }

  /** An independent generator (a pure-rand one) continuing from the current stream's state. */
  clone(): RandomGenerator {
    return xoroshiro128plusFromState(this.getState());
  }
}

/**
 * The Rng an actor sees, over a generator. A partition's view stays on one StreamCursor that it
 * points at the running actor's stream before each step, so nothing is allocated per step.
 */
export class RngView implements Rng {
  constructor(readonly generator: RandomGenerator) {}

  int(from: number, to: number): number {
    // Ranges with int32 bounds and fewer than 2^31 values (all that the packs here draw) take
    // pure-rand's uniformInt algorithm in integer arithmetic: the same draws and the same values,
    // but pure-rand's floating-point modulo is a call into C here, and its double result stored
    // into actor state made V8 box that field. Other ranges go to pure-rand itself.
    if ((from | 0) === from && (to | 0) === to && to >= from && to - from < 0x7fffffff) {
      const size = (to - from + 1) >>> 0;
      // pure-rand rejects draws at or above the largest multiple of `size` that fits 2^32.
      const last = size > 2 ? (Math.floor(4294967296 / size) * size - 1) >>> 0 : 0xffffffff;
      // next() + 2^31, as pure-rand adds it, is the draw with its top bit flipped, read unsigned.
      let draw = (this.generator.next() ^ 0x80000000) >>> 0;
      while (draw > last) draw = (this.generator.next() ^ 0x80000000) >>> 0;
      return ((draw % size) + from) | 0;
    }
    const value = uniformInt(this.generator, from, to);
    // Typed as an int32 when the bounds allow, for the same boxing reason.
    return from >= -0x80000000 && to <= 0x7fffffff ? value | 0 : value;
  }
  float(): number {
    return uniformFloat64(this.generator);
  }
  chance(p: number): boolean {
    return uniformFloat64(this.generator) < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }
}

/** A standard normal draw (Box-Muller) from two uniform draws of the given stream. */
export function standardNormal(rng: Rng): number {
  const u1 = 1 - rng.float();
  const u2 = rng.float();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A free-standing stream (runSeed, streamId): for seeded data outside any actor (a synthetic city). */
export function streamRng(runSeed: number, streamId: number): RngView {
  const words = new Int32Array(4);
  seedStreamWords(words, 0, runSeed, streamId);
  return new RngView(new StreamCursor(words));
}

/**
 * The stream of a name (an order intent's id, a customer record's key) in a run: what it draws depends
 * on the seed and the name alone, never on which actor draws it or when, so a redelivered or
 * replayed item re-creates exactly what it did the first time. Two FNV-1a hashes make a 53-bit id.
 */
export function namedRng(runSeed: number, name: string): RngView {
  let lo = 0x811c9dc5;
  let hi = 0x01000193;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    lo = Math.imul(lo ^ c, 0x01000193);
    hi = Math.imul(hi ^ c, 0x5bd1e995) ^ (hi >>> 15);
  }
  return streamRng(runSeed, (hi & 0x1fffff) * 0x100000000 + (lo >>> 0));
}

/** An exponential draw with the given mean (the gap between Poisson arrivals). */
export function exponential(rng: Rng, mean: number): number {
  return -Math.log(1 - rng.float()) * mean;
}

export type { RandomGenerator };
