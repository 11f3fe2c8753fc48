// Run ids as people type them: the whole id or a unique prefix (`tickwork show 3f9c`), as git
// takes commit ids. Ambiguity is an error that says how many runs matched.
import { TickworkError } from '../errors.js';

/** Shortest prefix accepted: shorter ones match too much to be meant. */
export const MIN_RUN_PREFIX = 4;

/**
 * `candidates` gives up to two ids starting with the prefix (the full id matches itself); `scope` names where runs were
 * looked for.
 */
export function resolveRunRef(ref: string, candidates: (prefix: string) => string[], scope?: string): string {
  const where = 'runId';
  const notFound = `no run '${ref}'${scope ? ` in ${scope}` : ''}`;
  const exact = candidates(ref);
  if (exact.includes(ref)) return ref;
  if (ref.length < MIN_RUN_PREFIX)
    throw new TickworkError(
      'TW_ERR_RUN_NOT_FOUND',
      `${notFound} (a prefix needs at least ${MIN_RUN_PREFIX} characters)`,
      where,
    );
  if (exact.length === 0) throw new TickworkError('TW_ERR_RUN_NOT_FOUND', notFound, where);
  if (exact.length > 1)
    throw new TickworkError(
      'TW_ERR_VALIDATION',
      `run id prefix '${ref}' is ambiguous (${exact.slice(0, 2).join(', ')}, ...): give more characters`,
      where,
    );
  return exact[0];
}
