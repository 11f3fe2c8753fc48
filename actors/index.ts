// The registry of actor packs. Workers load a pack by name, so every pack is importable on its own.
import type { Pack } from '../runtime/actor/pack.js';
import { TickworkError } from '../runtime/errors.js';

const PACKS: Record<string, () => Promise<Pack>> = {
  ledger: async () => (await import('./ledger/pack.js')).ledgerPack,
  simcity: async () => (await import('./simcity/pack.js')).simcityPack,
  probe: async () => (await import('./probe/pack.js')).probePack,
  workload: async () => (await import('./workload/pack.js')).workloadPack,
};

export function packNames(): string[] {
  return Object.keys(PACKS);
}

export async function loadPack(name: string): Promise<Pack> {
  const load = PACKS[name];
  if (!load) throw new TickworkError('TW_ERR_PACK_NOT_FOUND', `unknown actor pack '${name}' (known: ${packNames().join(', ')})`, 'pack');
  return load();
}
