// `tickwork <pack> <verb>`: a pack's own subcommands, from its module's `commands` table.
import { EXIT, usageError } from '../../runtime/edge/exit-codes.js';
import type { CliContext } from '../cli-context.js';

export async function packCommand(packName: string, argv: string[], ctx: CliContext): Promise<number> {
  const pack = ctx.packs.get(packName);
  const commands = pack.surfaces?.commands ?? {};
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
    const lines = Object.entries(commands).map(([v, c]) => `  ${v.padEnd(16)} ${c.summary}`);
    console.log(
      [
        `Usage: tickwork ${packName} <verb> [options]`,
        '',
        pack.description,
        '',
        'Verbs:',
        ...lines,
        '',
        `Every verb takes --help.`,
      ].join('\n'),
    );
    return verb === undefined ? EXIT.usage : EXIT.ok;
  }
  if (!Object.hasOwn(commands, verb))
    throw usageError(`${packName}: unknown verb '${verb}' (verbs: ${Object.keys(commands).join(', ')})`, 'verb');
  return commands[verb].run(rest, {
    packs: ctx.packs,
    serve: async (args) => (await import('./serve.js')).serveCommand(args, ctx),
  });
}
