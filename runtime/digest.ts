// Run digest: a rolling 64-bit hash (two 32-bit lanes) of every tick's canonical outputs.
// Equal digests mean equal runs. Values are folded as numbers; strings and objects through a
// canonical JSON form, so the digest does not depend on object identity or thread.

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

export class Digest {
  a = 0x811c9dc5;
  b = 0x01000193;

  constructor(seedA?: number, seedB?: number) {
    if (seedA !== undefined) this.a = seedA >>> 0;
    if (seedB !== undefined) this.b = seedB >>> 0;
  }

  int(n: number): this {
    if ((n | 0) === n) return this.word(n);
    f64[0] = n;
    this.word(u32[0]);
    return this.word(u32[1]);
  }

  word(w: number): this {
    let a = this.a ^ (w >>> 0);
    a = Math.imul(a, 0x01000193);
    a ^= a >>> 15;
    let b = this.b + Math.imul(w | 0, 0x9e3779b1);
    b = Math.imul(b ^ (b >>> 13), 0x85ebca6b);
    b ^= a;
    this.a = a >>> 0;
    this.b = b >>> 0;
    return this;
  }

  string(s: string): this {
    this.word(s.length);
    for (let i = 0; i < s.length; i++) this.word(s.charCodeAt(i));
    return this;
  }

  value(v: unknown): this {
    if (typeof v === 'number') return this.word(1).int(v);
    if (typeof v === 'string') return this.word(2).string(v);
    if (v === undefined) return this.word(3);
    return this.word(4).string(canonicalJson(v));
  }

  hex(): string {
    return (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0');
  }
}

/** JSON with object keys sorted, so equal values always hash equally. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_key, value) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(value).sort()) sorted[k] = (value as Record<string, unknown>)[k];
      return sorted;
    }
    return value;
  });
}
