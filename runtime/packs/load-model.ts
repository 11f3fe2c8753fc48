// Loading a pack's model by URL, where partitions live: in a worker thread, or on the main thread
// for an inline run. The engine names no pack; it imports what the catalogue's reference points at.
import { TickworkError } from '../errors.js';
import type { WorkerRef } from './worker-ref.js';
import type { PackModel } from './pack-model.js';

/** Import a pack's model by URL (in a worker thread or inline on the main thread). */
export async function loadPackModel(ref: WorkerRef): Promise<PackModel> {
  const mod = (await import(ref.url)) as Record<string, unknown>;
  const pack = Object.hasOwn(mod, ref.export) ? (mod[ref.export] as PackModel | undefined) : undefined;
  if (!pack || !Array.isArray(pack.kinds))
    throw new TickworkError('TW_ERR_PACK_NOT_FOUND', `${ref.url} has no pack export '${ref.export}'`, 'pack');
  return pack;
}
