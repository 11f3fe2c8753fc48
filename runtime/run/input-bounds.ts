// What an outside input may be before it reaches the input log: nested at most so deep and at most
// so large. The log digests and serialises every input recursively, so an unbounded one (a hostile
// publisher's 5,000-level array) would overflow the stack there and end the run; here it is refused
// at the edge, measured without recursion.
import { TickworkError } from '../errors.js';
import { RUN_LIMITS } from '../limits.js';

/** Throws TW_ERR_VALIDATION when `value` nests deeper than RUN_LIMITS.maxInputDepth or holds more than RUN_LIMITS.maxInputChars. */
export function checkInputBounds(value: unknown): void {
  const stack: [unknown, number][] = [[value, 0]];
  let chars = 0;
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') chars += v.length;
    else chars += 8;
    if (chars > RUN_LIMITS.maxInputChars)
      throw new TickworkError(
        'TW_ERR_VALIDATION',
        `an input may hold at most ${RUN_LIMITS.maxInputChars} characters`,
        'input',
      );
    if (v === null || typeof v !== 'object') continue;
    if (depth >= RUN_LIMITS.maxInputDepth)
      throw new TickworkError(
        'TW_ERR_VALIDATION',
        `an input may nest at most ${RUN_LIMITS.maxInputDepth} levels`,
        'input',
      );
    for (const [k, child] of Object.entries(v)) {
      chars += k.length;
      stack.push([child, depth + 1]);
    }
  }
}
