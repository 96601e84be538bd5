import type { SqliteDatabase } from '../../store/sqlite/open-database.ts';
import {
  InvalidIncidentCursor,
  type IncidentQuery,
  type IncidentReader,
  type IncidentRecord,
  type IncidentSink,
} from './incident-store.ts';

/**
 * Incidents in SQLite (embedded mode): the record as JSON beside the columns queries filter on. Newest
 * update first; the cursor is `<updatedAt>|<id>` of the last item, as the memory store's.
 */
export class SqliteIncidentStore implements IncidentSink, IncidentReader {
  private readonly upsertStatement;

  constructor(private readonly db: SqliteDatabase) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS incidents (
        id TEXT PRIMARY KEY, updated_at TEXT NOT NULL, status TEXT NOT NULL, service TEXT, record TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS incidents_updated ON incidents (updated_at, id);
      CREATE INDEX IF NOT EXISTS incidents_service ON incidents (service, updated_at);
    `);
    this.upsertStatement = db.prepare(
      `INSERT INTO incidents (id, updated_at, status, service, record) VALUES (@id, @updatedAt, @status, @service, @record)
       ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, status = excluded.status,
         service = excluded.service, record = excluded.record`,
    );
  }

  async upsert(incident: IncidentRecord): Promise<void> {
    this.upsertStatement.run({ ...incident, record: JSON.stringify(incident) });
  }

  async query(q: IncidentQuery): Promise<{ items: IncidentRecord[]; next: string | null }> {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: q.limit + 1 };
    if (q.cursor !== undefined) {
      const m = /^(\d{4}-\d\d-\d\dT[\d:.]+Z)\|([0-9a-f]{1,64})$/.exec(q.cursor);
      if (!m) throw new InvalidIncidentCursor('cursor is malformed: pass back `next` unchanged');
      where.push('(updated_at < @cursorTime OR (updated_at = @cursorTime AND id < @cursorId))');
      params.cursorTime = m[1];
      params.cursorId = m[2];
    }
    const add = (clause: string, name: string, value: string | undefined): void => {
      if (value === undefined || value === '') return;
      where.push(clause);
      params[name] = value;
    };
    add('status = @status', 'status', q.status);
    add('service = @service', 'service', q.service);
    add('updated_at >= @from', 'from', q.from);
    add('updated_at < @to', 'to', q.to);
    if (q.services) {
      const names = q.services.map((s, i) => ((params[`s${i}`] = s), `@s${i}`));
      where.push(names.length === 0 ? '0' : `service IN (${names.join(', ')})`);
    }
    const rows = this.db
      .prepare(
        `SELECT record FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY updated_at DESC, id DESC LIMIT @limit`,
      )
      .all(params) as { record: string }[];
    const page = rows.slice(0, q.limit).map((r) => JSON.parse(r.record) as IncidentRecord);
    const last = page[page.length - 1];
    return { items: page, next: rows.length > q.limit && last ? `${last.updatedAt}|${last.id}` : null };
  }
}
