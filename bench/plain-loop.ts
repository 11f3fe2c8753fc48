// The baseline step of bench 1, with no runtime: a for-loop over small objects, an RNG draw and
// a state update per object, an occasional "send" (a counter bump).
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';

/**
 * Builds `count` objects, passes over them `warmRounds` times untimed (as tickwork's runs take
 * warm-up ticks before their timed ones), then times `rounds` passes.
 */
export function plainLoop(
  count: number,
  warmRounds: number,
  rounds: number,
  seed: number,
): { steps: number; ms: number; checksum: number } {
  const rng = xoroshiro128plus(seed);
  const objects = Array.from({ length: count }, () => ({ x: 0, n: 0 }));
  let sends = passes(objects, warmRounds, rng);
  const started = performance.now();
  sends += passes(objects, rounds, rng);
  return { steps: count * rounds, ms: performance.now() - started, checksum: sends };
}

function passes(objects: { x: number; n: number }[], rounds: number, rng: ReturnType<typeof xoroshiro128plus>): number {
  let sends = 0;
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < objects.length; i++) {
      const o = objects[i];
      o.x = (o.x + uniformInt(rng, 0, 1000)) % 1_000_003;
      o.n++;
      if ((o.x & 1023) === 0) sends++;
    }
  }
  return sends;
}
