// What the composition root (main.ts) hands every command: the pack catalogue and the control
// server's starter, so a command can be tested with a catalogue of its own.
import type { PackCatalogue } from '../runtime/packs/pack-catalogue.js';
import type { ControlServer, ServeRequest } from '../server/server.js';

export interface CliContext {
  packs: PackCatalogue;
  startServer(request: ServeRequest): Promise<ControlServer>;
}

export type Command = (argv: string[], ctx: CliContext) => Promise<number>;
