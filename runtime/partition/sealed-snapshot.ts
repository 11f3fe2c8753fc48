// A partition snapshot sealed into bytes where the partition lives. A checkpoint of 100k actors
// is a large object graph: cloned to the main thread and serialised again for the store, it held
// the main thread for about a second per checkpoint (seen as /healthz stalls). Sealed in the
// worker, it crosses as one transferred buffer and goes to SQLite as it is; the main thread
// never walks the actors.
import { deserialize, serialize } from 'node:v8';
import type { PartitionSnapshot } from '../protocol.js';

export interface SealedSnapshot {
  index: number;
  bytes: Uint8Array;
}

export function seal(snapshot: PartitionSnapshot): SealedSnapshot {
  const bytes = serialize(snapshot);
  // The buffer is transferred to the main thread: it must own its memory, not share a pool slab.
  const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
  return { index: snapshot.index, bytes: owned };
}

export function unseal(sealed: SealedSnapshot): PartitionSnapshot {
  return deserialize(sealed.bytes) as PartitionSnapshot;
}

/** Checkpoints written before sealing held the snapshot objects themselves; accept both. */
export function sealedFromStore(stored: (SealedSnapshot | PartitionSnapshot)[]): SealedSnapshot[] {
  return stored.map((s) => ('bytes' in s ? s : seal(s)));
}
