// The routes an Express app answers, read from its router: what `GET /api/routes` lists and what
// the side-effect audit (test/security.test.ts) walks, so a route added anywhere is covered.
import type express from 'express';

export interface RouteEntry {
  method: string;
  path: string;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

function walk(stack: readonly Layer[], out: RouteEntry[]): RouteEntry[] {
  for (const layer of stack) {
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods))
        out.push({ method: method.toUpperCase(), path: layer.route.path });
    } else if (layer.handle?.stack) {
      // Routers are mounted at the root with absolute paths; a mount prefix is not added here.
      walk(layer.handle.stack, out);
    }
  }
  return out;
}

/** Every route of `app` (its own and its routers'), in the order they match. */
export function routeTable(app: express.Express): RouteEntry[] {
  const router = (app as unknown as { router: { stack: Layer[] } }).router;
  return walk(router.stack, []);
}
