// What a run needs of its pack: its name, its model, its contract and its io; never the host's
// surfaces, so nothing the scheduler imports reaches the server's types.
import type { PackContract } from './pack-contract.js';
import type { PackIo, WorkerRef } from './pack-io.js';

export interface RunnablePack {
  readonly name: string;
  /** The pack's model (`PackModel`, runtime/packs/pack-model.ts), loaded by URL where partitions live. */
  readonly model: WorkerRef;
  readonly contract: PackContract;
  readonly io?: PackIo;
}
