// A pack's typed reader of its live policies: the value in force (scenario, request or a live
// change) or the pack's default. Every pack reads its policies this way.

/** What a reader needs: an actor's or a setup's context. */
export interface ParamSource {
  param<T>(name: string): T;
}

export function policyReader<D extends Record<string, unknown>>(
  defaults: D,
): <K extends keyof D & string>(ctx: ParamSource, name: K) => D[K] {
  return (ctx, name) => ctx.param<D[typeof name] | undefined>(name) ?? defaults[name];
}
