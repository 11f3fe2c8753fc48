// The durable outbox between the run and JetStream. The JavaScript client drops what is published
// while disconnected, so every event the run emits is first a row here (keyed by its message id:
// a resume re-emitting it changes nothing), and leaves only once JetStream acknowledged it. Rows
// drain in the order they were written. A row JetStream refuses for what it is (too big for the
// stream, say), not for the state of the stream, is retried a few times and then parked with its
// reason: it never blocks the rows behind it, and /healthz is not ok while any row is parked.
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
  {
    version: 2,
    name: 'outbox rows that cannot be published: attempts, then parked with the reason',
    sql: `
      ALTER TABLE exec_outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE exec_outbox ADD COLUMN parked_reason TEXT;
      ALTER TABLE exec_outbox ADD COLUMN parked_at TEXT;
    `,
  },
];

/** Publishes a row may fail for what it is before it is parked. */
export const MAX_PUBLISH_ATTEMPTS = 3;

export interface ParkedRow {
  seq: number;
  msg_id: string;
  subject: string;
  bytes: number;
  attempts: number;
  parked_reason: string;
  parked_at: string;
}

/** An event on its way into the outbox. */
export interface OutboxEvent {
  msgId: string;
  subject: string;
  payload: unknown;
}

export interface OutboxRow {
  seq: number;
  msg_id: string;
  subject: string;
  payload: string;
}

export class Outbox {
  private readonly insert: PackStatement;
  private readonly countStmt: PackStatement;
  private readonly parkedCountStmt: PackStatement;
  private readonly peekStmt: PackStatement;
  private readonly deleteStmt: PackStatement;
  private readonly failStmt: PackStatement;
  private readonly reasonStmt: PackStatement;
  private readonly parkedStmt: PackStatement;
  private readonly unparkStmt: PackStatement;
  private readonly removeAll: (seqs: readonly number[]) => void;
  private readonly insertAll: (events: readonly OutboxEvent[]) => boolean[];

  constructor(db: PackTables) {
    this.insert = db.prepare('INSERT OR IGNORE INTO exec_outbox (msg_id, subject, payload) VALUES (?, ?, ?)');
    this.countStmt = db.prepare('SELECT COUNT(*) AS n FROM exec_outbox WHERE parked_reason IS NULL');
    this.parkedCountStmt = db.prepare('SELECT COUNT(*) AS n FROM exec_outbox WHERE parked_reason IS NOT NULL');
    this.peekStmt = db.prepare(
      'SELECT seq, msg_id, subject, payload FROM exec_outbox WHERE parked_reason IS NULL ORDER BY seq LIMIT ?',
    );
    this.deleteStmt = db.prepare('DELETE FROM exec_outbox WHERE seq = ?');
    this.failStmt = db.prepare(
      `UPDATE exec_outbox SET attempts = attempts + 1,
         parked_reason = CASE WHEN attempts + 1 >= @max THEN @reason ELSE NULL END,
         parked_at = CASE WHEN attempts + 1 >= @max THEN datetime('now') ELSE NULL END
       WHERE seq = @seq`,
    );
    this.reasonStmt = db.prepare('SELECT parked_reason FROM exec_outbox WHERE seq = ?');
    this.parkedStmt = db.prepare(
      `SELECT seq, msg_id, subject, length(payload) AS bytes, attempts, parked_reason, parked_at
       FROM exec_outbox WHERE parked_reason IS NOT NULL ORDER BY seq LIMIT ?`,
    );
    this.unparkStmt = db.prepare(
      'UPDATE exec_outbox SET attempts = 0, parked_reason = NULL, parked_at = NULL WHERE parked_reason IS NOT NULL',
    );
    this.insertAll = db.transaction((events: readonly OutboxEvent[]) =>
      events.map((e) => this.insert.run(e.msgId, e.subject, JSON.stringify(e.payload)).changes === 1),
    );
    this.removeAll = db.transaction((seqs: readonly number[]) => {
      for (const seq of seqs) this.deleteStmt.run(seq);
    });
  }

  /**
   * A tick's events, in one transaction; for each, false when its message id is there already
   * (an event emitted again after a resume).
   */
  addAll(events: readonly OutboxEvent[]): boolean[] {
    return events.length === 0 ? [] : this.insertAll(events);
  }

  /** Rows waiting to be published (parked rows not counted). */
  get size(): number {
    return (this.countStmt.get() as { n: number }).n;
  }

  get parkedCount(): number {
    return (this.parkedCountStmt.get() as { n: number }).n;
  }

  /** The oldest rows waiting to be published. */
  peek(limit: number): OutboxRow[] {
    return this.peekStmt.all(limit) as OutboxRow[];
  }

  /** Published rows leave together, in one transaction. */
  remove(seqs: readonly number[]): void {
    if (seqs.length > 0) this.removeAll(seqs);
  }

  /** A publish refused for what the row is: true when this attempt parked it. */
  failed(seq: number, reason: string): boolean {
    this.failStmt.run({ seq, reason: reason.slice(0, 500), max: MAX_PUBLISH_ATTEMPTS });
    const row = this.reasonStmt.get(seq) as { parked_reason: string | null } | undefined;
    return row?.parked_reason != null;
  }

  parked(limit: number): ParkedRow[] {
    return this.parkedStmt.all(limit) as ParkedRow[];
  }

  /** Every parked row goes back in line (after the cause is fixed); how many. */
  unparkAll(): number {
    return this.unparkStmt.run().changes;
  }
}
