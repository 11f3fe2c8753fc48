// A pack, whole: a plugin (as in fastify) the core knows only through this interface, in four parts
// by audience. The model is what a run computes (loaded by URL where partitions live); the contract
// says what scenarios and requests may ask of it; io is how its runs meet the outside world; the
// surfaces are what the host shows and keeps. The scheduler is handed a `RunnablePack` (the first
// three); the server and the CLI read the surfaces.
import type { PackContract } from './pack-contract.js';
import type { PackIo, WorkerRef } from './pack-io.js';
import type { PackSurfaces } from './pack-surfaces.js';

export interface PackModule {
  readonly name: string;
  readonly description: string;
  /** The pack's model (runtime/packs/pack-model.ts `PackModel`): kinds, setup, reporters, audits, KPIs. */
  readonly model: WorkerRef;
  readonly contract: PackContract;
  readonly io?: PackIo;
  readonly surfaces?: PackSurfaces;
}
