import { nowInstant } from '../../core/time.ts';
import type { SqliteDatabase } from '../../store/sqlite/open-database.ts';
import type { Retention } from '../../store/event-store.ts';
import { linkKey, type TraceLink } from './trace-link.ts';
import type { TraceLinkIndex } from './trace-link-index.ts';

/** Trace ids per `IN (...)` list: well under SQLite's bound on parameters. */
const CHUNK = 400;

/**
 * The embedded TraceLinkIndex: one table beside the events in the same database (its own
 * `CREATE TABLE IF NOT EXISTS`, so it needs no migration of the event store). Retention deletes links
 * last recorded before the cut-off, as the event store deletes events.
 */
export class SqliteTraceLinkIndex implements TraceLinkIndex, Retention {
  private readonly insert;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => string = nowInstant,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS trace_links (
       key TEXT PRIMARY KEY,
       parent_trace TEXT NOT NULL,
       child_trace TEXT NOT NULL,
       doc TEXT NOT NULL,
       recorded_at TEXT NOT NULL
     );
     CREATE INDEX IF NOT EXISTS trace_links_parent ON trace_links(parent_trace);
     CREATE INDEX IF NOT EXISTS trace_links_child ON trace_links(child_trace);
     CREATE INDEX IF NOT EXISTS trace_links_recorded ON trace_links(recorded_at);`);
    this.insert = db.prepare(
      `INSERT INTO trace_links (key, parent_trace, child_trace, doc, recorded_at)
       VALUES (@key, @parent, @child, @doc, @recordedAt)
       ON CONFLICT (key) DO UPDATE SET recorded_at = MAX(recorded_at, excluded.recorded_at)`,
    );
  }

  async add(links: readonly TraceLink[]): Promise<void> {
    if (links.length === 0) return;
    const recordedAt = this.now();
    this.db.transaction(() => {
      for (const link of links) {
        this.insert.run({
          key: linkKey(link),
          parent: link.parent.traceId,
          child: link.child.traceId,
          doc: JSON.stringify(link),
          recordedAt,
        });
      }
    })();
  }

  async linksOf(traceIds: readonly string[]): Promise<TraceLink[]> {
    const unique = [...new Set(traceIds)];
    const out = new Map<string, TraceLink>();
    for (let i = 0; i < unique.length; i += CHUNK) {
      const chunk = unique.slice(i, i + CHUNK);
      const marks = chunk.map(() => '?').join(',');
      const rows = this.db
        .prepare(
          `SELECT key, doc FROM trace_links WHERE parent_trace IN (${marks})
           UNION SELECT key, doc FROM trace_links WHERE child_trace IN (${marks})`,
        )
        .all(...chunk, ...chunk) as { key: string; doc: string }[];
      for (const row of rows) out.set(row.key, JSON.parse(row.doc) as TraceLink);
    }
    return [...out.values()];
  }

  async deleteOlderThan(instant: string): Promise<number> {
    return this.db.prepare('DELETE FROM trace_links WHERE recorded_at < ?').run(instant).changes;
  }
}
