// Money is integer minor units (cents) and rates are integer basis points: no floating point
// anywhere in pricing, so the same quote prices the same on every machine, forever.
//
// The one rounding rule: a division that does not come out even rounds half away from zero, to
// the minor unit (`divRound`). It is applied once per computed amount (a line's extended price,
// a discount, a margin), never to intermediate terms.

export type Minor = number;
/** 1 bp = 0.01%; 10,000 bps = 100%. */
export type Bps = number;

export const BPS = 10_000;

/** a / b rounded half away from zero; a and b integers, b > 0. */
export function divRound(a: number, b: number): number {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || b <= 0)
    throw new RangeError(`divRound needs safe integers and b > 0 (got ${a} / ${b})`);
  const q = Math.trunc(a / b);
  const r = a - q * b;
  return 2 * Math.abs(r) >= b ? q + Math.sign(a) : q;
}

/** `amount` x `bps` / 10,000, rounded once. */
export function applyBps(amount: Minor, bps: Bps): Minor {
  return divRound(amount * bps, BPS);
}

/** `part` as basis points of `whole` (0 when whole is 0). */
export function bpsOf(part: Minor, whole: Minor): Bps {
  return whole === 0 ? 0 : divRound(part * BPS, whole);
}

/** 123456 -> "1,234.56" (display only). */
export function formatMinor(amount: Minor, currency = 'USD'): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const units = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}${currency === 'USD' ? '$' : `${currency} `}${units}.${String(abs % 100).padStart(2, '0')}`;
}

/** 2050 -> "20.5%". */
export function formatBps(bps: Bps): string {
  return `${+(bps / 100).toFixed(2)}%`;
}
