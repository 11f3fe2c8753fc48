// `tickwork report <id>`: a stored run as one self-contained HTML file; `tickwork compare <a> <b>`:
// two stored runs side by side with deltas.
import { writeFileSync } from 'node:fs';
import { parseFlags } from '../../runtime/edge/command-flags.js';
import { EXIT, usageError } from '../../runtime/edge/exit-codes.js';
import type { CliContext } from '../cli-context.js';
import { TickworkError } from '../../runtime/errors.js';
import { compareRuns } from '../../runtime/report/run-compare.js';
import { renderRunReport, reportSeries } from '../../runtime/report/run-report.js';
import type { RunSummary } from '../../runtime/run/run-summary.js';
import { Store, resolveDbPath } from '../../runtime/store/store.js';

export const REPORT_HELP = `Usage: tickwork report <runId|prefix> [--out FILE.html] [--json] [--db PATH]

Write a stored run's report: one self-contained HTML file (facts, gates, violations, percentiles,
charts over sim time, KPIs, and the JSON summary with encoded HDR histograms embedded).
--out names the file (default: report-<runId>.html); --json prints the JSON summary instead.`;

export const COMPARE_HELP = `Usage: tickwork compare <runA> <runB> [--json] [--db PATH]

Two stored runs side by side: gates, percentiles, counters and gauges, with b - a and b / a.`;

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
  const { values, positionals } = parseFlags(argv, { db: { type: 'string' }, json: { type: 'boolean' } });
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
    console.log(`a: ${cmp.a.runId} ${cmp.a.scenario} seed ${cmp.a.seed} ${cmp.a.passed ? 'passed' : 'failed'}`);
    console.log(`b: ${cmp.b.runId} ${cmp.b.scenario} seed ${cmp.b.seed} ${cmp.b.passed ? 'passed' : 'failed'}`);
    const show = (v: unknown) => (v === null ? '-' : typeof v === 'number' ? String(+v.toPrecision(6)) : String(v));
    for (const r of cmp.rows)
      console.log(
        `  ${r.figure.padEnd(44)} ${show(r.a).padStart(14)} ${show(r.b).padStart(14)}  Δ ${show(r.delta)}${r.ratio === null ? '' : `  ×${show(r.ratio)}`}`,
      );
    return EXIT.ok;
  } finally {
    store.close();
  }
}
