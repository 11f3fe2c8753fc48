// Piscina task module for pack jobs: stateless work outside the tick (pricing a quote variant, an
// optimiser solve). The task names the pack's job module by URL and the function to call; modules
// are imported once per thread.
export interface JobTask {
  url: string;
  export: string;
  request: unknown;
}

const loaded = new Map<string, Record<string, unknown>>();

export default async function runJob(task: JobTask): Promise<unknown> {
  let mod = loaded.get(task.url);
  if (!mod) {
    mod = (await import(task.url)) as Record<string, unknown>;
    loaded.set(task.url, mod);
  }
  const fn = Object.hasOwn(mod, task.export) ? mod[task.export] : undefined;
  if (typeof fn !== 'function') throw new Error(`${task.url} has no job function '${task.export}'`);
  return fn(task.request);
}
