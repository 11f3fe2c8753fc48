// How the engine names a module it loads by URL in a thread: a pack's model, a pool job.

/**
 * Where a worker finds a module it loads by URL (a pack's model, a pool job): the module's URL and the name of its
 * export.
 */
export interface WorkerRef {
  readonly url: string;
  readonly export: string;
}
