import type { EventKind, TributaryEvent } from '../../core/event.ts';
import { decodeCursor, encodeCursor, filterFingerprint } from '../cursor.ts';
import {
  InvalidCursor,
  ORDER_KEY_PATTERN,
  timeOrderKey,
  type AppendResult,
  type EventOrdering,
  type EventQuery,
  type EventStore,
  type OrderKeyAssignment,
  type OrderKeyStore,
  type Page,
  type Retention,
} from '../event-store.ts';
import type { SqliteDatabase } from './open-database.ts';

/**
 * The embedded event store: one SQLite table with an FTS5 index over `message`, and the causal order key
 * (issue 5) in columns beside each event's document.
 */
export class SqliteEventStore implements EventStore, Retention, OrderKeyStore {
  private readonly insert;
  private readonly update;
  private readonly maxSeq;
  private readonly textMatches;

  constructor(private readonly db: SqliteDatabase) {
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO events (id, kind, source, service, host, level, time, trace_id, message, doc,
         order_key, order_offset_ms, order_error_ms, order_late, order_forced, order_final)
       VALUES (@id, @kind, @source, @service, @host, @level, @time, @traceId, @message, @doc,
         @key, @offsetMs, @errorMs, @late, @forced, @final)`,
    );
    this.update = db.prepare(
      `UPDATE events SET order_key = @key, order_offset_ms = @offsetMs, order_error_ms = @errorMs,
         order_late = @late, order_forced = @forced, order_final = @final
       WHERE id = @id`,
    );
    this.maxSeq = db.prepare('SELECT coalesce(max(seq), 0) AS m FROM events').pluck();
    this.textMatches = db
      .prepare(
        `SELECT count(*) FROM (SELECT 1 FROM events_fts WHERE events_fts MATCH ? LIMIT ${FEW_TEXT_MATCHES})`,
      )
      .pluck();
  }

  async append(
    events: readonly TributaryEvent[],
    orderings?: ReadonlyMap<string, EventOrdering>,
  ): Promise<AppendResult> {
    const storedIds: string[] = [];
    this.db.transaction(() => {
      for (const event of events) {
        const ordering = orderings?.get(event.id);
        const { changes } = this.insert.run({
          ...orderingParams(
            ordering && ORDER_KEY_PATTERN.test(ordering.key) ? ordering : defaultOrdering(event.time),
          ),
          id: event.id,
          kind: event.kind,
          source: event.source,
          service: event.service,
          host: event.host,
          level: event.kind === 'log' ? event.level : null,
          time: event.time,
          traceId: event.trace?.traceId ?? null,
          message: event.message,
          doc: JSON.stringify(event),
        });
        if (changes > 0) storedIds.push(event.id);
      }
    })();
    return { stored: storedIds.length, storedIds };
  }

  async setOrderKeys(assignments: readonly OrderKeyAssignment[]): Promise<number> {
    let updated = 0;
    this.db.transaction(() => {
      for (const assignment of assignments) {
        if (!ORDER_KEY_PATTERN.test(assignment.key)) continue;
        updated += this.update.run({ id: assignment.id, ...orderingParams(assignment) }).changes;
      }
    })();
    return updated;
  }

  async query(query: EventQuery): Promise<Page<TributaryEvent>> {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor, query);
    const snapshot = cursor ? Number(cursor.m) : (this.maxSeq.get() as number);
    where.push('seq <= @snapshot');
    params.snapshot = snapshot;
    addIn(where, params, 'kind', query.kinds);
    addIn(where, params, 'service', query.services);
    for (const [column, value] of [
      ['service', query.service],
      ['host', query.host],
      ['level', query.level?.toLowerCase()],
      ['source', query.source],
      ['trace_id', query.traceId?.toLowerCase()],
    ] as const) {
      if (value !== undefined) {
        where.push(`${column} = @${column}`);
        params[column] = value;
      }
    }
    if (query.from !== undefined) {
      where.push('time >= @from');
      params.from = query.from;
    }
    if (query.to !== undefined) {
      where.push('time < @to');
      params.to = query.to;
    }
    if (query.q !== undefined) {
      const match = ftsMatch(query.q);
      if (match === null) return { items: [], next: null };
      // Few matches: fetch them by rowid and sort. Many: `+seq` keeps the planner from doing that (a
      // common word at 10M events is ~10^5 rowid lookups and a sort: seconds); an index in sort order
      // (or of another filter) drives instead, probing the matches, and stops at `limit`.
      const few = (this.textMatches.get(match) as number) < FEW_TEXT_MATCHES;
      where.push(`${few ? 'seq' : '+seq'} IN (SELECT rowid FROM events_fts WHERE events_fts MATCH @match)`);
      params.match = match;
    }
    const asc = query.order === 'asc';
    const causal = query.sortBy === 'causal';
    const column = causal ? 'order_key' : 'time';
    if (cursor) {
      const position = causal
        ? causalPosition(cursor.t, cursor.s)
        : { sort: cursor.t, seq: Number(cursor.s) };
      where.push(
        asc
          ? `(${column} > @ct OR (${column} = @ct AND seq > @cs))`
          : `(${column} < @ct OR (${column} = @ct AND seq < @cs))`,
      );
      params.ct = position.sort;
      params.cs = position.seq;
    }
    const dir = asc ? 'ASC' : 'DESC';
    params.limit = query.limit + 1;
    const rows = this.db
      .prepare(
        `SELECT seq, time, doc, ${ORDERING_COLUMNS} FROM events WHERE ${where.join(' AND ')}
         ORDER BY ${column} ${dir}, seq ${dir} LIMIT @limit`,
      )
      .all(params) as OrderedRow[];
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const next =
      rows.length > query.limit && last
        ? encodeCursor({
            ...(causal ? causalCursorFields(last) : { t: last.time, s: String(last.seq) }),
            m: String(snapshot),
            f: filterFingerprint(query),
          })
        : null;
    const items = page.map((row) => JSON.parse(row.doc) as TributaryEvent);
    if (!causal) return { items, next };
    const orderings: Record<string, EventOrdering> = {};
    page.forEach((row, i) => {
      const item = items[i];
      if (item) orderings[item.id] = orderingOfRow(row);
    });
    return { items, next, orderings };
  }

  async deleteOlderThan(instant: string): Promise<number> {
    const chunk = this.db.prepare(
      'DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE time < ? ORDER BY time LIMIT 5000)',
    );
    let deleted = 0;
    for (;;) {
      const { changes } = chunk.run(instant);
      deleted += changes;
      if (changes < 5000) return deleted;
    }
  }
}

/** Below this many full-text matches the matches drive the query; from it on, the sort order does. */
const FEW_TEXT_MATCHES = 2000;

const ORDERING_COLUMNS = 'order_key, order_offset_ms, order_error_ms, order_late, order_forced, order_final';

interface OrderedRow {
  seq: number;
  time: string;
  doc: string;
  order_key: string;
  order_offset_ms: number | null;
  order_error_ms: number | null;
  order_late: number;
  order_forced: number;
  order_final: number;
}

function defaultOrdering(time: string): EventOrdering {
  return { key: timeOrderKey(time), offsetMs: null, errorMs: null, late: false, forced: false, final: false };
}

function orderingParams(ordering: EventOrdering): Record<string, unknown> {
  return {
    key: ordering.key,
    offsetMs: finiteOrNull(ordering.offsetMs),
    errorMs: finiteOrNull(ordering.errorMs),
    late: ordering.late ? 1 : 0,
    forced: ordering.forced ? 1 : 0,
    final: ordering.final ? 1 : 0,
  };
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

function orderingOfRow(row: OrderedRow): EventOrdering {
  return {
    key: row.order_key,
    offsetMs: row.order_offset_ms,
    errorMs: row.order_error_ms,
    late: row.order_late === 1,
    forced: row.order_forced === 1,
    final: row.order_final === 1,
  };
}

/**
 * The shared cursor format keeps an instant in `t`: a causal cursor puts the key's instant there and
 * `<logical counter>:<seq>` in `s`.
 */
function causalCursorFields(row: OrderedRow): { t: string; s: string } {
  return { t: row.order_key.slice(0, 30), s: `${row.order_key.slice(31)}:${row.seq}` };
}

function causalPosition(t: string, s: string): { sort: string; seq: number } {
  const m = /^(\d{6}):(\d{1,16})$/.exec(s);
  if (!m)
    throw new InvalidCursor('cursor is malformed: pass back the `next` value of a previous page unchanged');
  return { sort: `${t}.${m[1]}`, seq: Number(m[2]) };
}

function addIn(
  where: string[],
  params: Record<string, unknown>,
  column: string,
  values: readonly (string | EventKind)[] | undefined,
): void {
  if (values === undefined) return;
  if (values.length === 0) {
    where.push('0');
    return;
  }
  const names = values.map((value, i) => {
    params[`${column}_${i}`] = value;
    return `@${column}_${i}`;
  });
  where.push(`${column} IN (${names.join(', ')})`);
}

/** Each word of `q` as a quoted FTS5 string: all words must match, and no FTS syntax gets through. */
export function ftsMatch(q: string): string | null {
  const words = q.match(/[\p{L}\p{N}_]+/gu)?.slice(0, 32);
  if (!words || words.length === 0) return null;
  return words.map((word) => `"${word}"`).join(' ');
}
