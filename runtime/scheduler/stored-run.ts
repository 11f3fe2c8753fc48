// Rebuilding a Run from what the store recorded: its scenario, options and input log.
import { TickworkError } from '../errors.js';
import { parseScenario } from '../scenario/scenario-loader.js';
import type { RunOptions } from './run-options.js';
import type { LoggedInput } from './outside-input.js';
import type { CheckpointRow, Store, RunRow } from '../store/store.js';
import { ownerIsAlive } from '../store/run-owner.js';
import type { PackCatalogue } from '../packs/pack-catalogue.js';

export function storedRun(packs: PackCatalogue, store: Store, ref: string): { row: RunRow; options: RunOptions; inputs: LoggedInput[] } {
  const row = store.findRun(ref);
  const scenario = parseScenario(packs, JSON.parse(row.scenario_json), `run ${row.id}`);
  const o = JSON.parse(row.options_json) as Omit<RunOptions, 'scenario'>;
  const options: RunOptions = { ...o, scenario };
  const inputs = store.inputs(row.id).map((r) => ({ seq: r.seq, tickMs: r.tickMs, input: r.payload as LoggedInput['input'] }));
  return { row, options, inputs };
}

/**
 * Take a stored run over to resume it: only an interrupted run, or one still marked running
 * whose process is gone, with a checkpoint; claimed atomically, so two resumes cannot both run it.
 */
export function claimForResume(packs: PackCatalogue, store: Store, runId: string): ReturnType<typeof storedRun> & { checkpoint: CheckpointRow } {
  const stored = storedRun(packs, store, runId);
  const { row } = stored;
  if (row.status !== 'running' && row.status !== 'interrupted') {
    throw new TickworkError('TW_ERR_RUN_STATE', `run ${row.id} is ${row.status}; only interrupted or killed runs resume`, 'runId');
  }
  if (row.status === 'running' && ownerIsAlive(row.owner)) {
    throw new TickworkError('TW_ERR_RUN_STATE', `run ${row.id} is running in process ${row.owner}; stop it first`, 'runId');
  }
  const checkpoint = store.latestCheckpoint(row.id);
  if (!checkpoint) throw new TickworkError('TW_ERR_NO_CHECKPOINT', `run ${row.id} has no checkpoint`, 'runId');
  if (!store.claimRun(row)) throw new TickworkError('TW_ERR_RUN_STATE', `run ${row.id} was just claimed by another process`, 'runId');
  return { ...stored, checkpoint };
}
