// The `run_inputs` table: a run's input log, written at once (resume and replay need every entry)
// and compacted for service runs that live for weeks.
import type { InputRow } from './store-rows.js';
import type { StoreFile } from './store-file.js';

export class InputTable {
  constructor(private readonly file: StoreFile) {}

  append(runId: string, input: InputRow): void {
    return this.file.write('an input log entry', () => {
      this.file
        .statement(
          'INSERT OR REPLACE INTO run_inputs (run_id, seq, tick_ms, kind, payload_json) VALUES (?, ?, ?, ?, ?)',
        )
        .run(runId, input.seq, input.tickMs, input.kind, JSON.stringify(input.payload ?? null));
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
