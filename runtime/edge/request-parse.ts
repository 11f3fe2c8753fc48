// Request validation at the HTTP edge, shared by the server's routes and every pack's router: a
// zod schema, and a 400 naming the first bad field when the value does not fit.
import type { z } from 'zod';
import { zodToTickworkError } from '../scenario/scenario-loader.js';

/** Parse or throw a 400 naming the first bad field. Express 5 leaves `req.body` undefined when empty. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw zodToTickworkError(result.error, 'TW_ERR_VALIDATION', where);
  return result.data;
}
