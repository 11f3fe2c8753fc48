// Rebuilding a Run from what the store recorded: its scenario, options and input log.
import { TickworkError } from '../errors.js';
import { parseScenario } from '../scenario/scenario-loader.js';
import { RUN_DEFAULTS, type RunOptions } from './run-options.js';
import type { LoggedInput } from './outside-input.js';
import type { CheckpointRow, Store, RunRow } from '../store/store.js';
import { isoTime } from '../pacing.js';
import { ownerRunsTickwork } from '../store/run-owner.js';
import type { PackCatalogue } from '../packs/pack-catalogue.js';

export function storedRun(
  packs: PackCatalogue,
  store: Store,
  ref: string,
): { row: RunRow; options: RunOptions; inputs: LoggedInput[] } {
  const row = store.findRun(ref);
  const scenario = parseScenario(packs, JSON.parse(row.scenario_json), `run ${row.id}`);
  // Runs stored before windows existed have no window setting: they get the default.
  const o = JSON.parse(row.options_json) as Omit<RunOptions, 'scenario' | 'maxWindowTicks'> &
    Partial<Pick<RunOptions, 'maxWindowTicks'>>;
  const options: RunOptions = { ...o, maxWindowTicks: o.maxWindowTicks ?? RUN_DEFAULTS.maxWindowTicks, scenario };
  const inputs = store
    .inputs(row.id)
    .map((r) => ({ seq: r.seq, tickMs: r.tickMs, input: r.payload as LoggedInput['input'] }));
  return { row, options, inputs };
}

/**
 * Take a stored run over to resume it: only an interrupted run, or one still marked running
 * whose owner let go (its process is gone, or its lease ran out); claimed atomically, so two
 * resumes cannot both run it. A run killed before its first checkpoint has none and starts again
 * from the beginning (same seed, same inputs).
 *
 * @param force take over a run whose recorded owner pid is alive but is not a tickwork process
 *   (the pid was recycled after the owner died).
 */
export function claimForResume(
  packs: PackCatalogue,
  store: Store,
  runId: string,
  {
    force = false,
    notRunningHere = false,
  }: {
    force?: boolean;
    /** The caller (a server's registry) knows the run is not running in this process. */
    notRunningHere?: boolean;
  } = {},
): ReturnType<typeof storedRun> & { checkpoint: CheckpointRow | undefined } {
  const stored = storedRun(packs, store, runId);
  const { row } = stored;
  if (row.status !== 'running' && row.status !== 'interrupted') {
    throw new TickworkError(
      'TW_ERR_RUN_STATE',
      `run ${row.id} is ${row.status}; only interrupted or killed runs resume`,
      'runId',
    );
  }
  const hold = row.status === 'running' ? store.runHold(row) : 'free';
  // A row this process owns but does not run: its final write failed (a store fault); take it back.
  const ownRowLeftBehind = notRunningHere && hold === 'this process';
  if (hold === 'leased')
    throw new TickworkError(
      'TW_ERR_RUN_STATE',
      `run ${row.id} is held by ${row.owner}, a process this one cannot see (another host or pid namespace), until its lease runs out at ${isoTime(row.lease_until ?? 0)}; stop it, or resume after that`,
      'runId',
    );
  if ((hold === 'alive' || hold === 'this process') && !ownRowLeftBehind) {
    const recycled = force && !ownerRunsTickwork(row.owner);
    if (!recycled) {
      const hint = force
        ? 'it is a tickwork process: stop it first'
        : 'stop it first, or add --force if that pid now belongs to another program';
      throw new TickworkError('TW_ERR_RUN_STATE', `run ${row.id} is running in process ${row.owner}; ${hint}`, 'runId');
    }
  }
  if (!store.claimRun(row))
    throw new TickworkError('TW_ERR_RUN_STATE', `run ${row.id} was just claimed by another process`, 'runId');
  return { ...stored, checkpoint: store.latestCheckpoint(row.id) };
}
