// What a synthetic rep types: a `/quote simulate` command with 1..maxVariants variants of one or
// two changes each, drawn from the rep's own random stream, so the same seed types the same
// commands. A typo (`:` for `=`) is how a rep produces a parse error.
import type { Rng } from '../../../runtime/sdk.js';

const DISCOUNTS = [5, 10, 12.5, 15, 20, 25, 30, 35];
const TERMS = [12, 24, 36];
const SEATS = [10, 25, 50, 120, 250, 500, 1000];
const ADD_ONS = ['sso', 'audit-log', 'support-premium', 'onboarding', 'training-day'];

function change(rng: Rng): string {
  switch (rng.int(0, 4)) {
    case 0:
      return `discount=${DISCOUNTS[rng.int(0, DISCOUNTS.length - 1)]}%`;
    case 1:
      return `term=${TERMS[rng.int(0, TERMS.length - 1)]}`;
    case 2:
      return `qty seats=${SEATS[rng.int(0, SEATS.length - 1)]}`;
    case 3:
      return `add ${ADD_ONS[rng.int(0, ADD_ONS.length - 1)]}`;
    default:
      return `remove ${ADD_ONS[rng.int(0, ADD_ONS.length - 1)]}`;
  }
}

export function writeCommand(rng: Rng, quoteId: string, maxVariants: number, typoChance: number): string {
  const variants = Array.from({ length: rng.int(1, maxVariants) }, () =>
    Array.from({ length: rng.int(1, 2) }, () => change(rng)).join(', '),
  );
  const text = `simulate ${quoteId} ${variants.join(' | ')}`;
  return rng.chance(typoChance) ? text.replace('=', ':') : text;
}
