// Seeded randomness. One run seed derives every stream: each actor draws from its own
// xoroshiro128+ stream keyed by (run seed, actor id), so an actor's draws never depend on which
// other actors ran before it, on which worker it lives, or on how many workers there are.
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
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

export function createStream(runSeed: number, streamId: number): RandomGenerator {
  return xoroshiro128plus(deriveSeed(runSeed, streamId));
}

export function streamFromState(state: readonly number[]): RandomGenerator {
  return xoroshiro128plusFromState(state);
}

/**
 * A reusable Rng view: the partition points it at the running actor's stream before each step,
 * so no wrapper is allocated per step.
 */
export class RngView implements Rng {
  generator: RandomGenerator | undefined;

  int(from: number, to: number): number {
    return uniformInt(this.generator!, from, to);
  }
  float(): number {
    return uniformFloat64(this.generator!);
  }
  chance(p: number): boolean {
    return uniformFloat64(this.generator!) < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[uniformInt(this.generator!, 0, items.length - 1)];
  }
}

export type { RandomGenerator };
