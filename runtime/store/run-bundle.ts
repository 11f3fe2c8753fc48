// A finished run as portable rows: its `runs` row, input log, metric intervals and violations, to
// move a run made elsewhere (a fleet agent's, on another machine) into this store, so `runs`,
// `show`, `report`, `compare` and `replay` work on it as on a local one. Left behind: the owner's
// lease (it names a process on the other machine) and checkpoints (a finished run needs none).
// A bundle may come from the network: only the tables' own columns are written, and a run this
// store already has is kept as it is (a result that arrives twice counts once).
import { TickworkError } from '../errors.js';
import type { StoreFile } from './store-file.js';

export interface RunBundle {
  v: 1;
  run: Record<string, unknown>;
  rows: Record<(typeof CHILD_TABLES)[number], Record<string, unknown>[]>;
}

const CHILD_TABLES = ['run_inputs', 'run_metrics', 'run_violations'] as const;
const LOCAL_COLUMNS = new Set(['owner', 'owner_token', 'owner_proc', 'lease_until']);
const ENDED = new Set(['completed', 'failed', 'stopped']);

export function exportRunRows(file: StoreFile, runId: string): RunBundle {
  const run = file.statement('SELECT * FROM runs WHERE id = ?').get(runId) as Record<string, unknown> | undefined;
  if (!run) throw new TickworkError('TW_ERR_RUN_NOT_FOUND', `no run ${runId} in ${file.file}`);
  if (!ENDED.has(String(run.status)))
    throw new TickworkError('TW_ERR_VALIDATION', `run ${runId} is ${run.status}: only an ended run can be moved`);
  for (const column of LOCAL_COLUMNS) delete run[column];
  const rows = Object.fromEntries(
    CHILD_TABLES.map((t) => [t, file.statement(`SELECT * FROM ${t} WHERE run_id = ?`).all(runId)]),
  ) as RunBundle['rows'];
  return { v: 1, run, rows };
}

/** Adds the bundle's run; false when this store already has a run with its id (nothing is written). */
export function importRunRows(file: StoreFile, bundle: RunBundle): boolean {
  const runId = bundle?.run?.id;
  if (bundle?.v !== 1 || typeof runId !== 'string' || !ENDED.has(String(bundle.run.status)))
    throw new TickworkError('TW_ERR_VALIDATION', 'not a bundle of an ended run');
  return file.write(`run ${runId} from another store`, () =>
    file.db.transaction(() => {
      if (file.statement('SELECT 1 FROM runs WHERE id = ?').get(runId)) return false;
      insertRows(file, 'runs', [bundle.run], runId);
      for (const t of CHILD_TABLES) insertRows(file, t, bundle.rows?.[t] ?? [], runId);
      return true;
    })(),
  );
}

/** The rows' values for the table's own columns (names never come from the bundle), each row of this run. */
function insertRows(file: StoreFile, table: string, rows: readonly Record<string, unknown>[], runId: string): void {
  if (rows.length === 0) return;
  const idColumn = table === 'runs' ? 'id' : 'run_id';
  const columns = (file.statement(`PRAGMA table_info(${table})`).all() as { name: string }[])
    .map((c) => c.name)
    .filter((c) => !LOCAL_COLUMNS.has(c));
  const insert = file.statement(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  );
  for (const row of rows) {
    if (row[idColumn] !== runId) throw new TickworkError('TW_ERR_VALIDATION', `a ${table} row of another run`);
    insert.run(...columns.map((c) => (row[c] === undefined ? null : row[c])));
  }
}
