// The `run_inputs` table: a run's input log, written at once (resume and replay need every entry)
// and compacted for service runs that live for weeks.
import type { InputRow } from './store-rows.js';
import type { StoreFile } from './store-file.js';

export class InputTable {
  private insertAll: ((runId: string, rows: readonly InputRow[]) => void) | undefined;

  constructor(private readonly file: StoreFile) {}

  /** A tick's inputs, in one transaction: a busy service logs hundreds a tick. */
  append(runId: string, inputs: readonly InputRow[]): void {
    if (inputs.length === 0) return;
    return this.file.write(inputs.length === 1 ? 'an input log entry' : `${inputs.length} input log entries`, () => {
      this.insertAll ??= this.file.db.transaction((id: string, rows: readonly InputRow[]) => {
        const insert = this.file.statement(
          'INSERT OR REPLACE INTO run_inputs (run_id, seq, tick_ms, kind, payload_json) VALUES (?, ?, ?, ?, ?)',
        );
        for (const r of rows) insert.run(id, r.seq, r.tickMs, r.kind, JSON.stringify(r.payload ?? null));
      });
      this.insertAll(runId, inputs);
    });
  }

  list(runId: string): InputRow[] {
    const rows = this.file
      .statement('SELECT seq, tick_ms, kind, payload_json FROM run_inputs WHERE run_id = ? ORDER BY seq')
      .all(runId) as {
      seq: number;
      tick_ms: number;
      kind: string;
      payload_json: string;
    }[];
    return rows.map((r) => ({ seq: r.seq, tickMs: r.tick_ms, kind: r.kind, payload: JSON.parse(r.payload_json) }));
  }

  /** Drop a run's logged inputs at or before `upToMs` (a service run's compaction). */
  compact(runId: string, upToMs: number): void {
    return this.file.write('an input log compaction', () => {
      this.file.statement('DELETE FROM run_inputs WHERE run_id = ? AND tick_ms <= ?').run(runId, upToMs);
    });
  }
}
