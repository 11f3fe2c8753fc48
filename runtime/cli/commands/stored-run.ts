// Rebuilding a Run from what the store recorded: its scenario, options and input log.
import { TickworkError } from '../../errors.js';
import { parseScenario } from '../../scenario/scenario-loader.js';
import type { RunOptions } from '../../scheduler/run-options.js';
import type { LoggedInput } from '../../scheduler/outside-input.js';
import type { Store, RunRow } from '../../store/store.js';
import type { PackCatalogue } from '../../packs/pack-catalogue.js';
import { resolveRunRef } from '../../store/run-ref.js';

export function storedRun(packs: PackCatalogue, store: Store, runId: string): { row: RunRow; options: RunOptions; inputs: LoggedInput[] } {
  const row = store.getRun(resolveRunRef(runId, (p) => store.runIdsStartingWith(p), store.file));
  if (!row) throw new TickworkError('TW_ERR_RUN_NOT_FOUND', `no run '${runId}' in ${store.file}`, 'runId');
  const scenario = parseScenario(packs, JSON.parse(row.scenario_json), `run ${runId}`);
  const o = JSON.parse(row.options_json) as Omit<RunOptions, 'scenario'>;
  const options: RunOptions = { ...o, scenario };
  const inputs = store.inputs(runId).map((r) => ({ seq: r.seq, tickMs: r.tickMs, input: r.payload as LoggedInput['input'] }));
  return { row, options, inputs };
}
