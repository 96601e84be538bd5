import type { SqliteDatabase } from '../../store/sqlite/open-database.ts';
import type {
  Decision,
  DecisionKind,
  DecisionQuery,
  DecisionReader,
  DecisionRecorder,
  StoredDecision,
} from './decision.ts';

interface Row {
  seq: number;
  time: number;
  decision: string;
  reason: string;
  receiver: string | null;
  group_key: string | null;
  notification_id: string | null;
  incident_id: string | null;
  fingerprints: string;
  services: string;
  by_what: string | null;
}

/**
 * Decisions in SQLite (embedded mode): one row each, services in a side table so the team filter is an
 * index lookup. Newest first; the cursor is the last row's seq. Rows older than `retentionMs` are deleted
 * on write, a few at a time.
 */
export class SqliteDecisionLog implements DecisionRecorder, DecisionReader {
  private readonly insert;
  private readonly insertService;
  private readonly prune;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly retentionMs = 30 * 86_400_000,
  ) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS notification_decisions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        time INTEGER NOT NULL, decision TEXT NOT NULL, reason TEXT NOT NULL,
        receiver TEXT, group_key TEXT, notification_id TEXT, incident_id TEXT,
        fingerprints TEXT NOT NULL, services TEXT NOT NULL, by_what TEXT);
      CREATE INDEX IF NOT EXISTS notification_decisions_time ON notification_decisions (time);
      CREATE TABLE IF NOT EXISTS notification_decision_services (
        seq INTEGER NOT NULL REFERENCES notification_decisions (seq) ON DELETE CASCADE,
        service TEXT NOT NULL, PRIMARY KEY (service, seq));
    `);
    this.insert = db.prepare(
      `INSERT INTO notification_decisions (time, decision, reason, receiver, group_key, notification_id,
         incident_id, fingerprints, services, by_what)
       VALUES (@time, @decision, @reason, @receiver, @groupKey, @notificationId, @incidentId, @fingerprints,
         @services, @by)`,
    );
    this.insertService = db.prepare(
      'INSERT OR IGNORE INTO notification_decision_services (seq, service) VALUES (?, ?)',
    );
    this.prune = db.prepare(
      'DELETE FROM notification_decisions WHERE seq IN (SELECT seq FROM notification_decisions WHERE time < ? LIMIT 100)',
    );
  }

  async record(d: Decision): Promise<void> {
    this.db.transaction(() => {
      const { lastInsertRowid } = this.insert.run({
        ...d,
        fingerprints: JSON.stringify(d.fingerprints.slice(0, 1000)),
        services: JSON.stringify(d.services),
      });
      for (const s of new Set(d.services)) this.insertService.run(lastInsertRowid, s);
      this.prune.run(d.time - this.retentionMs);
    })();
  }

  async query(q: DecisionQuery): Promise<{ items: StoredDecision[]; next: string | null }> {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: q.limit + 1 };
    const eq = (column: string, name: string, value: unknown): void => {
      if (value === undefined) return;
      where.push(`${column} = @${name}`);
      params[name] = value;
    };
    eq('decision', 'decision', q.decision);
    eq('receiver', 'receiver', q.receiver);
    eq('group_key', 'groupKey', q.groupKey);
    const bound = (clause: string, name: string, value: number | undefined): void => {
      if (value === undefined) return;
      where.push(clause);
      params[name] = value;
    };
    bound('time >= @from', 'from', q.from);
    bound('time < @to', 'to', q.to);
    bound('seq < @cursor', 'cursor', q.cursor);
    if (q.service !== undefined) {
      where.push('seq IN (SELECT seq FROM notification_decision_services WHERE service = @service)');
      params.service = q.service;
    }
    if (q.services) {
      const names = q.services.map((s, i) => ((params[`s${i}`] = s), `@s${i}`));
      where.push(
        names.length === 0
          ? '0'
          : `seq IN (SELECT seq FROM notification_decision_services WHERE service IN (${names.join(', ')}))`,
      );
    }
    const rows = this.db
      .prepare(
        `SELECT * FROM notification_decisions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY seq DESC LIMIT @limit`,
      )
      .all(params) as Row[];
    const page = rows.slice(0, q.limit).map(fromRow);
    return { items: page, next: rows.length > q.limit ? String(page[page.length - 1]?.seq) : null };
  }
}

function fromRow(r: Row): StoredDecision {
  return {
    seq: r.seq,
    time: r.time,
    decision: r.decision as DecisionKind,
    reason: r.reason,
    receiver: r.receiver,
    groupKey: r.group_key,
    notificationId: r.notification_id,
    incidentId: r.incident_id,
    fingerprints: JSON.parse(r.fingerprints) as string[],
    services: JSON.parse(r.services) as string[],
    by: r.by_what,
  };
}
