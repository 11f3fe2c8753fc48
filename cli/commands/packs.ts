// `tickwork packs [name] [--json]`: the packs this build knows, or one pack's contract as JSON
// Schema (the same document as GET /api/packs/:pack).
import { parseFlags } from '../../runtime/edge/command-flags.js';
import { EXIT, usageError } from '../../runtime/edge/exit-codes.js';
import type { CliContext } from '../cli-context.js';

export const PACKS_HELP = `Usage: tickwork packs [name] [--json]

Without a name: every pack with its description and default scenario.
With a name: that pack's contract (policies, events, invariant catalogue) as JSON Schema.`;

export async function packsCommand(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(argv, { json: { type: 'boolean' } });
  if (values.help) {
    console.log(PACKS_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 1) throw usageError('packs takes at most one pack name', 'pack');
  if (positionals.length === 1) {
    console.log(JSON.stringify(ctx.packs.describe(positionals[0]), null, values.json ? undefined : 2));
    return EXIT.ok;
  }
  const list = ctx.packs.all().map((m) => ({
    name: m.name,
    description: m.description,
    defaultScenario: m.contract.scenarios ? `${m.name}/${m.contract.scenarios.default}` : null,
  }));
  if (values.json) console.log(JSON.stringify(list));
  else
    for (const p of list) console.log(`${p.name.padEnd(12)} ${(p.defaultScenario ?? '-').padEnd(20)} ${p.description}`);
  return EXIT.ok;
}
