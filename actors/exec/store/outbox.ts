// The durable outbox between the run and JetStream. The JavaScript client drops what is published
// while disconnected, so every event the run emits is first a row here (keyed by its message id:
// a resume re-emitting it changes nothing), and leaves only once JetStream acknowledged it. Rows
// drain in the order they were written.
import type { Migration, PackStatement, PackTables } from '../../../runtime/sdk.js';

export const EXEC_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'outbox of events awaiting JetStream',
    sql: `
      CREATE TABLE exec_outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        msg_id TEXT NOT NULL UNIQUE,
        subject TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (datetime('now'))
      );
    `,
  },
];

export interface OutboxRow {
  seq: number;
  msg_id: string;
  subject: string;
  payload: string;
}

export class Outbox {
  private readonly insert: PackStatement;
  private readonly countStmt: PackStatement;
  private readonly peekStmt: PackStatement;
  private readonly deleteStmt: PackStatement;
  private readonly removeAll: (seqs: readonly number[]) => void;

  constructor(db: PackTables) {
    this.insert = db.prepare('INSERT OR IGNORE INTO exec_outbox (msg_id, subject, payload) VALUES (?, ?, ?)');
    this.countStmt = db.prepare('SELECT COUNT(*) AS n FROM exec_outbox');
    this.peekStmt = db.prepare('SELECT seq, msg_id, subject, payload FROM exec_outbox ORDER BY seq LIMIT ?');
    this.deleteStmt = db.prepare('DELETE FROM exec_outbox WHERE seq = ?');
    this.removeAll = db.transaction((seqs: readonly number[]) => {
      for (const seq of seqs) this.deleteStmt.run(seq);
    });
  }

  /** False when the message id is there already (an event emitted again after a resume). */
  add(msgId: string, subject: string, payload: unknown): boolean {
    return this.insert.run(msgId, subject, JSON.stringify(payload)).changes === 1;
  }

  get size(): number {
    return (this.countStmt.get() as { n: number }).n;
  }

  peek(limit: number): OutboxRow[] {
    return this.peekStmt.all(limit) as OutboxRow[];
  }

  /** Published rows leave together, in one transaction. */
  remove(seqs: readonly number[]): void {
    if (seqs.length > 0) this.removeAll(seqs);
  }
}
