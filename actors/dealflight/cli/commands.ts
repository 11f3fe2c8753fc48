// `tickwork dealflight <verb>`: the desk from a terminal, on the same store the server uses.
// Each verb prints a table (or --json) and exits 0; a refusal is one line on stderr and exit 2,
// a parity mismatch exit 1.
import { readFileSync } from 'node:fs';
import {
  EXIT,
  type PackCatalogue,
  type PackCommand,
  PackError,
  parseDurationMs,
  parseFlags,
  resolveDbPath,
  Store,
  usageError,
} from '../../../runtime/sdk.js';
import { catalogueSchema } from '../domain/cpq/catalogue.js';
import { comparisonTable } from '../domain/desk/comparison-table.js';
import { deskConfigFromEnv } from '../config/desk-config.js';
import { DealDesk } from '../domain/desk/deal-desk.js';
import { SYSTEM_EDGE_CLOCK } from '../domain/desk/edge-clock.js';

const DB_FLAG = { db: { type: 'string' }, json: { type: 'boolean' } } as const;
const DB_HELP = `  --db PATH   SQLite store (default: $TICKWORK_DB or ./data/tickwork.db)
  --json      print JSON instead of a table`;

/** Open the store (applying the pack's tables), run `work` with a desk on it, close the store. */
async function withDesk<T>(
  packs: PackCatalogue,
  db: string | undefined,
  work: (desk: DealDesk) => T | Promise<T>,
): Promise<T> {
  const store = new Store(resolveDbPath(db), packs.migrationSets());
  try {
    return await work(new DealDesk(store.tables('dealflight'), deskConfigFromEnv(), SYSTEM_EDGE_CLOCK));
  } finally {
    store.close();
  }
}

function help(usage: string, what: string, extra = ''): number {
  console.log(`Usage: tickwork dealflight ${usage}\n\n${what}\n\nOptions:\n${extra}${DB_HELP}`);
  return EXIT.ok;
}

const simulateCommand: PackCommand = {
  summary: 'compare what-if variants of a quote: simulate Q-1001 discount=15% | term=36',
  async run(argv, { packs }) {
    const { values, positionals } = parseFlags(argv, DB_FLAG);
    if (values.help) {
      return help(
        'simulate <quote_id> <variant> [| <variant>]... [options]',
        'Evaluates up to DEALFLIGHT_MAX_VARIANTS (default 3) variants, ranks them and records the run.\nVariants: discount=15%  qty seats=120  term=36  add sso  remove plan-pro, joined by "," within a variant and "|" between variants.',
      );
    }
    if (positionals.length < 2)
      throw usageError(
        'simulate needs a quote id and at least one variant, e.g. simulate Q-1001 discount=15%',
        'quote',
      );
    return withDesk(packs, values.db, async (desk) => {
      const prefix = 'simulate ';
      const c = await desk.simulate(prefix + positionals.join(' '), undefined, prefix.length);
      console.log(
        values.json
          ? JSON.stringify({ runId: c.runId, quote: c.quote, base: c.base, variants: c.variants })
          : comparisonTable(c, desk.repo.catalogue()!.catalogue.currency),
      );
      if (!values.json) console.log(`\npromote one: npx tickwork dealflight promote ${c.runId} <variant>`);
      return EXIT.ok;
    });
  },
};

const promoteCommand: PackCommand = {
  summary: 'apply one variant of a scenario run to its quote, exactly once per run',
  async run(argv, { packs }) {
    const { values, positionals } = parseFlags(argv, { ...DB_FLAG, 'idempotency-key': { type: 'string' } });
    if (values.help)
      return help(
        'promote <run_id> <variant_key> [options]',
        'Promotes the variant: the quote gets its changes as a new version. A second promote of the same run answers "duplicate" (same variant) or SIM_ALREADY_PROMOTED.',
        "  --idempotency-key K   the action's key (default: run and variant)\n",
      );
    if (positionals.length !== 2)
      throw usageError('promote needs a scenario run id and a variant key, e.g. promote 7c9e... v1', 'run');
    return withDesk(packs, values.db, (desk) => {
      const result = desk.promote(positionals[0], positionals[1], values['idempotency-key']);
      console.log(
        values.json
          ? JSON.stringify(result)
          : `${result.outcome}: ${result.variantKey} of run ${result.runId}; quote is now version ${result.quoteVersion}`,
      );
      return EXIT.ok;
    });
  },
};

const parityCommand: PackCommand = {
  summary: 're-evaluate stored runs and count deterministic parity mismatches (exit 1 on any)',
  async run(argv, { packs }) {
    const { values } = parseFlags(argv, { ...DB_FLAG, since: { type: 'string' } });
    if (values.help)
      return help(
        'parity [--since 1d] [options]',
        'Re-prices every scenario run created in the window with the catalogue version it used and compares ranks, prices and policy results with what was stored.',
        '  --since D   window, e.g. 1d, 12h, 30m (default 1d)\n',
      );
    const since = values.since ?? '1d';
    const ms = parseDurationMs(since);
    if (ms === undefined) throw usageError(`--since must look like 1d, 12h or 30m (got '${since}')`, 'since');
    return withDesk(packs, values.db, (desk) => {
      const report = desk.parity(ms / 1000);
      if (values.json) console.log(JSON.stringify({ since, ...report }));
      else {
        console.log(
          `parity over ${since}: ${report.runs} runs, ${report.variants} variants, ${report.mismatches.length} mismatches`,
        );
        for (const m of report.mismatches.slice(0, 20))
          console.log(
            `  ${m.runId} ${m.variantKey} ${m.field}: stored ${JSON.stringify(m.stored)} now ${JSON.stringify(m.now)}`,
          );
      }
      return report.mismatches.length === 0 ? EXIT.ok : EXIT.failed;
    });
  },
};

const loadCatalogueCommand: PackCommand = {
  summary: 'load your own catalogue from a JSON file (validated; becomes the next version)',
  async run(argv, { packs }) {
    const { values, positionals } = parseFlags(argv, DB_FLAG);
    if (values.help)
      return help(
        'load-catalogue <file.json> [options]',
        'Validates the catalogue (products, tiers, constraints, policy thresholds) and loads it as the next version. Runs priced with earlier versions keep theirs.',
      );
    if (positionals.length !== 1) throw usageError('load-catalogue needs one JSON file', 'file');
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(positionals[0], 'utf8'));
    } catch (err) {
      throw usageError(`${positionals[0]}: ${(err as Error).message}`, 'file');
    }
    const checked = catalogueSchema.safeParse(raw);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new PackError(
        'SIM_CATALOGUE_INVALID',
        400,
        `${positionals[0]}: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
        issue.path.join('.'),
      );
    }
    return withDesk(packs, values.db, (desk) => {
      const version = desk.loadCatalogue(checked.data);
      console.log(
        values.json
          ? JSON.stringify({ version, products: checked.data.products.length })
          : `catalogue version ${version} loaded: ${checked.data.products.length} products`,
      );
      return EXIT.ok;
    });
  },
};

const killSwitchCommand: PackCommand = {
  summary: "turn /quote simulate off or on (the runbook's rollback); tables stay intact",
  async run(argv, { packs }) {
    const { values, positionals } = parseFlags(argv, DB_FLAG);
    if (values.help)
      return help(
        'kill-switch [on|off] [options]',
        '"off" pauses the simulator (the slash command answers that it is paused); "on" enables it again; no argument shows the state.',
      );
    const [state] = positionals;
    if (state !== undefined && state !== 'on' && state !== 'off')
      throw usageError(`kill-switch takes 'on' or 'off' (got '${state}')`, 'state');
    return withDesk(packs, values.db, (desk) => {
      if (state !== undefined) desk.setEnabled(state === 'on');
      console.log(
        values.json ? JSON.stringify({ enabled: desk.enabled }) : `simulator ${desk.enabled ? 'enabled' : 'paused'}`,
      );
      return EXIT.ok;
    });
  },
};

export const DESK_COMMANDS: Readonly<Record<string, PackCommand>> = {
  simulate: simulateCommand,
  promote: promoteCommand,
  parity: parityCommand,
  'load-catalogue': loadCatalogueCommand,
  'kill-switch': killSwitchCommand,
};
