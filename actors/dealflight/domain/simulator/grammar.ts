// The `/quote simulate` command language, parsed with errors that say where and what was
// expected. Guardrail rejections (too many variants or changes, values out of range) have their
// own stable codes.
//
//   /quote simulate <quote_id> <variant> [| <variant>]...
//   variant := change [, change]...
//   change  := discount=<n>%        quote discount, 0..100 with up to 2 decimals
//            | qty <sku>=<n>        set a line's quantity (adds the line when absent)
//            | term=<n>[m]          term in months
//            | add <sku>[=<n>]      add a product (quantity 1 unless given)
//            | remove <sku>         drop a product
//
// e.g. `/quote simulate Q-1001 discount=15% | qty seats=120, term=36 | add sso, discount=25%`

export type Change =
  | { kind: 'discount'; bps: number }
  | { kind: 'qty'; sku: string; qty: number }
  | { kind: 'term'; months: number }
  | { kind: 'add'; sku: string; qty: number }
  | { kind: 'remove'; sku: string };

export interface SimulateCommand {
  quoteId: string;
  variants: { key: string; changes: Change[] }[];
}

export type SimulateErrorCode = 'SIM_PARSE' | 'SIM_TOO_MANY_VARIANTS' | 'SIM_TOO_MANY_CHANGES' | 'SIM_OUT_OF_RANGE';

export class SimulateError extends Error {
  constructor(
    readonly code: SimulateErrorCode,
    message: string,
    /** 1-based column in the command text. */
    readonly position: number,
    readonly expected: string[] = [],
  ) {
    super(`${code} at column ${position}: ${message}`);
    this.name = 'SimulateError';
  }
}

export interface SimulateLimits {
  /** Variants per request (the runbook's strict bound; 3 by default). */
  maxVariants: number;
  maxChangesPerVariant: number;
}

/** The configurable bound never goes past this. */
export const HARD_MAX_VARIANTS = 10;
export const DEFAULT_LIMITS: SimulateLimits = { maxVariants: 3, maxChangesPerVariant: 8 };
const MAX_QTY = 1_000_000;
const MAX_TERM_MONTHS = 120;

interface Token {
  type: 'word' | 'number' | '=' | '%' | ',' | '|';
  text: string;
  at: number;
}

function lex(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:([A-Za-z][A-Za-z0-9_-]*)|(\d+(?:\.\d+)?)|([=%,|]))/y;
  let i = 0;
  while (i < text.length) {
    if (/^\s*$/.test(text.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) {
      const at = i + (text.slice(i).length - text.slice(i).trimStart().length);
      throw new SimulateError('SIM_PARSE', `unexpected character '${text[at]}'`, at + 1, [
        'a word',
        'a number',
        '=',
        '%',
        ',',
        '|',
      ]);
    }
    const start = m.index + m[0].length - (m[1] ?? m[2] ?? m[3]).length;
    if (m[1] !== undefined) tokens.push({ type: 'word', text: m[1], at: start + 1 });
    else if (m[2] !== undefined) tokens.push({ type: 'number', text: m[2], at: start + 1 });
    else tokens.push({ type: m[3] as Token['type'], text: m[3], at: start + 1 });
    i = re.lastIndex;
  }
  return tokens;
}

export function parseSimulate(text: string, limits: SimulateLimits = DEFAULT_LIMITS): SimulateCommand {
  const maxVariants = Math.min(limits.maxVariants, HARD_MAX_VARIANTS);
  // Slack sends the command and its text apart; the full form may come with its `/quote` too.
  // Blanked, not cut, so every column still points into the text as typed.
  const tokens = lex(text.replace(/^\s*\/?quote\b/i, (m) => ' '.repeat(m.length)));
  let k = 0;
  const end = text.length + 1;
  const peek = () => tokens[k];
  const describe = (t: Token | undefined) => (t ? `'${t.text}'` : 'the end of the command');
  const expect = (type: Token['type'], what: string): Token => {
    const t = tokens[k];
    if (!t || t.type !== type)
      throw new SimulateError('SIM_PARSE', `expected ${what}, found ${describe(t)}`, t?.at ?? end, [what]);
    k++;
    return t;
  };
  const word = (what: string, value?: string): Token => {
    const t = expect('word', what);
    if (value !== undefined && t.text.toLowerCase() !== value)
      throw new SimulateError('SIM_PARSE', `expected ${what}, found '${t.text}'`, t.at, [what]);
    return t;
  };
  const integer = (what: string, max: number): number => {
    const t = expect('number', what);
    if (t.text.includes('.'))
      throw new SimulateError('SIM_PARSE', `expected ${what} (a whole number), found '${t.text}'`, t.at, [what]);
    const n = Number(t.text);
    if (n > max) throw new SimulateError('SIM_OUT_OF_RANGE', `${n} is above ${max}`, t.at);
    return n;
  };

  word("'simulate'", 'simulate');
  const quoteId = word('a quote id').text;
  const variants: SimulateCommand['variants'] = [];
  for (;;) {
    const startAt = peek()?.at ?? end;
    if (variants.length === maxVariants)
      throw new SimulateError('SIM_TOO_MANY_VARIANTS', `at most ${maxVariants} variants per request`, startAt);
    const changes: Change[] = [];
    for (;;) {
      if (changes.length === limits.maxChangesPerVariant)
        throw new SimulateError(
          'SIM_TOO_MANY_CHANGES',
          `at most ${limits.maxChangesPerVariant} changes per variant`,
          peek()?.at ?? end,
        );
      changes.push(change());
      if (peek()?.type !== ',') break;
      k++;
    }
    variants.push({ key: `v${variants.length + 1}`, changes });
    if (peek() === undefined) break;
    expect('|', "',' or '|' or the end");
  }
  return { quoteId, variants };

  function change(): Change {
    const t = word('a change: discount, qty, term, add or remove');
    switch (t.text.toLowerCase()) {
      case 'discount': {
        expect('=', "'=' after discount");
        const n = expect('number', 'a discount percentage');
        const [whole, frac = ''] = n.text.split('.');
        if (frac.length > 2)
          throw new SimulateError('SIM_PARSE', `a discount has at most 2 decimals, found '${n.text}'`, n.at, [
            'a percentage with at most 2 decimals',
          ]);
        const bps = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
        if (bps > 10_000) throw new SimulateError('SIM_OUT_OF_RANGE', `a discount of ${n.text}% is above 100%`, n.at);
        expect('%', "'%' after the discount");
        return { kind: 'discount', bps };
      }
      case 'qty': {
        const sku = word('a product sku').text.toLowerCase();
        expect('=', `'=' after ${sku}`);
        return { kind: 'qty', sku, qty: integer('a quantity', MAX_QTY) };
      }
      case 'term': {
        expect('=', "'=' after term");
        const months = integer('a term in months', MAX_TERM_MONTHS);
        if (peek()?.type === 'word' && /^(m|mo|months?)$/i.test(peek()!.text)) k++;
        return { kind: 'term', months };
      }
      case 'add': {
        const sku = word('a product sku').text.toLowerCase();
        if (peek()?.type !== '=') return { kind: 'add', sku, qty: 1 };
        k++;
        return { kind: 'add', sku, qty: integer('a quantity', MAX_QTY) };
      }
      case 'remove':
        return { kind: 'remove', sku: word('a product sku').text.toLowerCase() };
      default:
        throw new SimulateError(
          'SIM_PARSE',
          `expected a change (discount, qty, term, add or remove), found '${t.text}'`,
          t.at,
          ['discount', 'qty', 'term', 'add', 'remove'],
        );
    }
  }
}
