// The `run_checkpoints` table: the two newest checkpoints of each run (the latest, and one to
// fall back on), main state and partition snapshots serialised with v8.
import { serialize, deserialize } from 'node:v8';
import { wallEpochMs } from '../pacing.js';
import type { PartitionSnapshot } from '../protocol.js';
import { sealedFromStore, type SealedSnapshot } from '../partition/sealed-snapshot.js';
import type { CheckpointRow } from './store-rows.js';
import type { StoreFile } from './store-file.js';

export class CheckpointTable {
  constructor(private readonly file: StoreFile) {}

  save(runId: string, cp: CheckpointRow): void {
    return this.file.write('a checkpoint', () => {
      const tx = this.file.db.transaction(() => {
        this.file
          .statement(
            'INSERT OR REPLACE INTO run_checkpoints (run_id, tick_ms, main_state, partitions, created_at) VALUES (?, ?, ?, ?, ?)',
          )
          .run(runId, cp.tickMs, serialize(cp.main), cp.partitions ? serialize(cp.partitions) : null, wallEpochMs());
        // Keep the two newest: the latest, and one to fall back on.
        this.file
          .statement(
            `DELETE FROM run_checkpoints WHERE run_id = ? AND tick_ms NOT IN
               (SELECT tick_ms FROM run_checkpoints WHERE run_id = ? ORDER BY tick_ms DESC LIMIT 2)`,
          )
          .run(runId, runId);
      });
      tx();
    });
  }

  latest(runId: string): CheckpointRow | undefined {
    return this.at(runId, 'DESC');
  }

  /** The older kept checkpoint: where a compacted run's replay starts. */
  earliest(runId: string): CheckpointRow | undefined {
    return this.at(runId, 'ASC');
  }

  private at(runId: string, order: 'ASC' | 'DESC'): CheckpointRow | undefined {
    const row = this.file
      .statement(
        `SELECT tick_ms, main_state, partitions FROM run_checkpoints WHERE run_id = ? ORDER BY tick_ms ${order} LIMIT 1`,
      )
      .get(runId) as { tick_ms: number; main_state: Buffer; partitions: Buffer | null } | undefined;
    if (!row) return undefined;
    return {
      tickMs: row.tick_ms,
      main: deserialize(row.main_state),
      partitions: row.partitions
        ? sealedFromStore(deserialize(row.partitions) as (SealedSnapshot | PartitionSnapshot)[])
        : undefined,
    };
  }
}
