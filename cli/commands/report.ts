// `tickwork report <id>`: a stored run as one self-contained HTML file; `tickwork compare <a> <b>`:
// two stored runs side by side with deltas.
import { writeFileSync } from 'node:fs';
import { parseFlags } from '../../runtime/edge/command-flags.js';
import { EXIT, usageError } from '../../runtime/edge/exit-codes.js';
import type { CliContext } from '../cli-context.js';
import { TickworkError } from '../../runtime/errors.js';
import {
  type ComparisonRow,
  type ComparisonSection,
  compareRuns,
  type RunComparison,
} from '../../runtime/report/run-compare.js';
import { renderRunReport, reportSeries } from '../../runtime/report/run-report.js';
import type { RunSummary } from '../../runtime/run/run-summary.js';
import { Store, resolveDbPath } from '../../runtime/store/store.js';

export const REPORT_HELP = `Usage: tickwork report <runId|prefix> [--out FILE.html] [--json] [--db PATH]

Write a stored run's report: one self-contained HTML file (facts, gates, violations, percentiles,
charts over sim time, KPIs, and the JSON summary with encoded HDR histograms embedded).
--out names the file (default: report-<runId>.html); --json prints the JSON summary instead.`;

export const COMPARE_HELP = `Usage: tickwork compare <runA> <runB> [--all] [--json] [--db PATH]

Two stored runs side by side, by section (run, gates, percentiles, counters, gauges): a, b and
the change from a to b. It says first when the runs are not like for like (another pack, another
scenario, another sim span). The engine's own figures (runtime.*) are left out unless --all;
--json prints every row (with b - a and b / a) for machines.`;

const SECTION_TITLES: Record<ComparisonSection, string> = {
  run: 'run',
  gate: 'gates',
  percentile: 'percentiles',
  counter: 'counters',
  gauge: 'gauges',
};

/** A figure for people: integers grouped (10,000,000), others to 4 significant digits. */
const figure = (v: number) => (Number.isInteger(v) ? v.toLocaleString('en-US') : String(+v.toPrecision(4)));

/** The change from a to b as a person reads it: `+52.2%`, `-1.0%`, `=`, or `pass -> fail`. */
function change(r: ComparisonRow): string {
  if (r.a === null || r.b === null) return r.a === null ? 'only in b' : 'only in a';
  if (r.delta === null) return r.a === r.b ? '=' : `${r.a} -> ${r.b}`;
  if (r.delta === 0) return '=';
  if (r.ratio === null) return `${r.delta > 0 ? '+' : ''}${figure(r.delta)}`;
  const pct = (r.ratio - 1) * 100;
  const size = Math.abs(pct);
  return `${pct > 0 ? '+' : ''}${size >= 100 ? pct.toFixed(0) : size >= 1 ? pct.toFixed(1) : String(+pct.toPrecision(2))}%`;
}

function formatComparison(cmp: RunComparison, all: boolean): string {
  const lines = [
    `a: ${cmp.a.runId}  ${cmp.a.scenario} (pack ${cmp.a.pack})  seed ${cmp.a.seed}  ${cmp.a.passed ? 'passed' : 'failed'}`,
    `b: ${cmp.b.runId}  ${cmp.b.scenario} (pack ${cmp.b.pack})  seed ${cmp.b.seed}  ${cmp.b.passed ? 'passed' : 'failed'}`,
  ];
  for (const c of cmp.caveats) lines.push(`note: ${c}`);
  const internal = (r: ComparisonRow) => /(^|\s)runtime\./.test(r.figure);
  const rows = all ? cmp.rows : cmp.rows.filter((r) => !internal(r));
  const show = (v: number | string | null) => (v === null ? '-' : typeof v === 'number' ? figure(v) : v);
  const width = Math.max(24, ...rows.map((r) => r.figure.length));
  let section: ComparisonSection | undefined;
  for (const r of rows) {
    if (r.section !== section) {
      section = r.section;
      lines.push('', `${SECTION_TITLES[section].padEnd(width)}  ${'a'.padStart(12)}  ${'b'.padStart(12)}  change`);
    }
    lines.push(`${r.figure.padEnd(width)}  ${show(r.a).padStart(12)}  ${show(r.b).padStart(12)}  ${change(r)}`);
  }
  const hidden = cmp.rows.length - rows.length;
  if (hidden > 0) lines.push('', `(${hidden} runtime.* figures of the engine left out; --all shows them)`);
  return lines.join('\n');
}

function storedSummary(store: Store, ref: string): RunSummary {
  const row = store.findRun(ref);
  if (!row.summary_json)
    throw new TickworkError('TW_ERR_RUN_STATE', `run ${row.id} is ${row.status} and has no summary yet`, 'runId');
  return JSON.parse(row.summary_json) as RunSummary;
}

export async function reportCommand(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    out: { type: 'string' },
    db: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    console.log(REPORT_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw usageError('report takes exactly one run id (or a unique prefix)', 'runId');
  const store = new Store(resolveDbPath(values.db), ctx.packs.migrationSets());
  try {
    const summary = storedSummary(store, positionals[0]);
    if (values.json) {
      console.log(JSON.stringify(summary));
      return EXIT.ok;
    }
    const file = values.out ?? `report-${summary.runId}.html`;
    writeFileSync(file, renderRunReport(summary, reportSeries(store, summary)));
    console.log(
      `report of ${summary.runId} (${summary.scenario}, ${summary.passed ? 'passed' : 'failed'}) written to ${file}`,
    );
    return EXIT.ok;
  } finally {
    store.close();
  }
}

export async function compareCommand(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    db: { type: 'string' },
    json: { type: 'boolean' },
    all: { type: 'boolean' },
  });
  if (values.help) {
    console.log(COMPARE_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 2) throw usageError('compare takes exactly two run ids', 'runId');
  const store = new Store(resolveDbPath(values.db), ctx.packs.migrationSets());
  try {
    const cmp = compareRuns(storedSummary(store, positionals[0]), storedSummary(store, positionals[1]));
    if (values.json) {
      console.log(JSON.stringify(cmp));
      return EXIT.ok;
    }
    console.log(formatComparison(cmp, values.all ?? false));
    return EXIT.ok;
  } finally {
    store.close();
  }
}
