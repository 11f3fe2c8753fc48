// The packs one process knows, built once by the composition root (cli/main.ts from
// actors/index.ts) and handed to the runtime and the server. Lookups by a user-given name use own
// keys only, so `constructor` or `__proto__` is an unknown pack, not a crash.
import { z } from 'zod';
import { TickworkError } from '../errors.js';
import { RUNTIME_INVARIANTS } from '../invariants/runtime-invariants.js';
import type { PackContract } from './pack-contract.js';
import type { PackModule } from './pack-module.js';
import type { RunnablePack } from './runnable-pack.js';
import { CORE_NAMESPACE, type MigrationSet } from '../store/migrator.js';
import { CORE_RETENTION, type RetentionRule } from '../store/retention.js';

export class PackCatalogue {
  private readonly modules = new Map<string, PackModule>();

  constructor(modules: readonly PackModule[]) {
    for (const m of modules) {
      if (this.modules.has(m.name)) throw new Error(`pack '${m.name}' is registered twice`);
      if (m.name === CORE_NAMESPACE) throw new Error(`'${CORE_NAMESPACE}' names the runtime's own tables, not a pack`);
      this.modules.set(m.name, m);
    }
  }

  names(): string[] {
    return [...this.modules.keys()];
  }

  all(): PackModule[] {
    return [...this.modules.values()];
  }

  has(name: string): boolean {
    return this.modules.has(name);
  }

  get(name: string): PackModule {
    const m = this.modules.get(name);
    if (!m)
      throw new TickworkError(
        'TW_ERR_PACK_NOT_FOUND',
        `unknown actor pack '${name}' (known: ${this.names().join(', ')})`,
        'pack',
      );
    return m;
  }

  /** What a run needs of a pack (its model, contract and io), without the host's surfaces. */
  runnable(name: string): RunnablePack {
    const { model, contract, io } = this.get(name);
    return { name, model, contract, io };
  }

  /** The pack's contract with the runtime's own invariants added. */
  contract(name: string): PackContract {
    const c = this.get(name).contract;
    return { ...c, invariants: { ...RUNTIME_INVARIANTS, ...c.invariants } };
  }

  /** Every pack's own tables, for the store to apply when it opens a file. */
  migrationSets(): MigrationSet[] {
    return this.all()
      .filter((m) => (m.surfaces?.migrations?.length ?? 0) > 0)
      .map((m) => ({ namespace: m.name, migrations: m.surfaces!.migrations! }));
  }

  /** Every pack's retention rules, then the runtime's (a pack's rows may point at runs). */
  retentionRules(): RetentionRule[] {
    return [...this.all().flatMap((m) => m.surfaces?.retention ?? []), ...CORE_RETENTION];
  }

  /** The contract as JSON Schema, for generated forms and docs (`GET /api/packs/:pack`). */
  describe(name: string): Record<string, unknown> {
    const m = this.get(name);
    const c = this.contract(name);
    return {
      name: m.name,
      description: m.description,
      defaultScenario: m.contract.scenarios ? `${m.name}/${m.contract.scenarios.default}` : undefined,
      policies: z.toJSONSchema(c.policies, { unrepresentable: 'any', io: 'input' }),
      events: Object.fromEntries(
        Object.entries(c.events).map(([type, s]) => [type, z.toJSONSchema(s, { unrepresentable: 'any', io: 'input' })]),
      ),
      invariants: c.invariants,
      commands: Object.keys(m.surfaces?.commands ?? {}),
      panels: m.surfaces?.panels ?? [],
    };
  }
}
