import type { Retention } from '../../store/event-store.ts';
import type { SqliteDatabase } from '../../store/sqlite/open-database.ts';
import { unixMillis } from '../../core/time.ts';
import type { CallEnd } from './call-end.ts';
import type { CallEndIndex, CallEndQuery } from './call-end-index.ts';

/**
 * The embedded CallEndIndex: one table in the events' database (its own `CREATE TABLE IF NOT EXISTS`),
 * searched by (key, system, role, start). Retention deletes ends that started before the cut-off.
 */
export class SqliteCallEndIndex implements CallEndIndex, Retention {
  private readonly insert;
  private readonly select;

  constructor(private readonly db: SqliteDatabase) {
    db.exec(`CREATE TABLE IF NOT EXISTS call_ends (
       key TEXT NOT NULL,
       system TEXT NOT NULL,
       role TEXT NOT NULL,
       start_ms REAL NOT NULL,
       end_ms REAL NOT NULL,
       trace_id TEXT NOT NULL,
       span_id TEXT NOT NULL,
       port TEXT,
       path TEXT,
       method TEXT,
       PRIMARY KEY (key, trace_id, span_id)
     ) WITHOUT ROWID;
     CREATE INDEX IF NOT EXISTS call_ends_near ON call_ends(key, system, role, start_ms);
     CREATE INDEX IF NOT EXISTS call_ends_start ON call_ends(start_ms);`);
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO call_ends (key, system, role, start_ms, end_ms, trace_id, span_id, port, path, method)
       VALUES (@key, @system, @role, @startMs, @endMs, @traceId, @spanId, @port, @path, @method)`,
    );
    this.select = db.prepare(
      `SELECT key, system, role, start_ms AS startMs, end_ms AS endMs, trace_id AS traceId, span_id AS spanId,
         port, path, method
       FROM call_ends WHERE key = @key AND system = @system AND role = @role
       AND start_ms >= @fromMs AND start_ms <= @toMs ORDER BY start_ms LIMIT @limit`,
    );
  }

  async add(ends: readonly CallEnd[]): Promise<void> {
    if (ends.length === 0) return;
    this.db.transaction(() => {
      for (const end of ends) this.insert.run(end);
    })();
  }

  async near(query: CallEndQuery): Promise<CallEnd[]> {
    const out = new Map<string, CallEnd>();
    for (const key of new Set(query.keys)) {
      const { system, role, fromMs, toMs, limit } = query;
      const rows = this.select.all({ key, system, role, fromMs, toMs, limit }) as CallEnd[];
      for (const row of rows) out.set(`${row.traceId}/${row.spanId}`, row);
    }
    return [...out.values()]
      .sort((a, b) => a.startMs - b.startMs || a.spanId.localeCompare(b.spanId))
      .slice(0, query.limit);
  }

  async deleteOlderThan(instant: string): Promise<number> {
    return this.db.prepare('DELETE FROM call_ends WHERE start_ms < ?').run(unixMillis(instant)).changes;
  }
}
