import type { AuditEntry, AuditLog, AuditQuery, AuditRecord, VerifyReport } from '../../audit/audit-log.ts';
import { GENESIS_HASH, entryHash, verifyChain } from '../../audit/hash-chain.ts';
import { nowInstant } from '../../core/time.ts';
import { InvalidCursor } from '../event-store.ts';
import type { SqliteDatabase } from './open-database.ts';

interface Row {
  seq: number;
  time: string;
  actor: string;
  action: string;
  target: string;
  origin: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

/** The embedded audit trail: the `audit` table plus `audit_head` (the last seq and hash written). */
export class SqliteAuditLog implements AuditLog {
  constructor(private readonly db: SqliteDatabase) {}

  async append(record: AuditRecord): Promise<AuditEntry> {
    return this.db.transaction(() => {
      const last = this.db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as
        { seq: number; hash: string } | undefined;
      const base = {
        ...record,
        seq: (last?.seq ?? 0) + 1,
        time: nowInstant(),
        prevHash: last?.hash ?? GENESIS_HASH,
      };
      const entry: AuditEntry = { ...base, hash: entryHash(base) };
      this.db
        .prepare(
          `INSERT INTO audit (seq, time, actor, action, target, origin, detail, prev_hash, hash)
           VALUES (@seq, @time, @actor, @action, @target, @origin, @detail, @prevHash, @hash)`,
        )
        .run({ ...entry, detail: JSON.stringify(entry.detail) });
      this.db
        .prepare(
          'INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash',
        )
        .run(entry.seq, entry.hash);
      return entry;
    })();
  }

  async query(query: AuditQuery): Promise<{ items: AuditEntry[]; next: string | null }> {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: query.limit + 1 };
    for (const key of ['actor', 'action', 'target'] as const) {
      if (query[key] !== undefined) {
        where.push(`${key} = @${key}`);
        params[key] = query[key];
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
    if (query.cursor !== undefined) {
      if (!/^[1-9]\d{0,15}$/.test(query.cursor))
        throw new InvalidCursor('cursor is malformed: pass back `next` unchanged');
      where.push('seq < @cursor');
      params.cursor = Number(query.cursor);
    }
    const rows = this.db
      .prepare(
        `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`,
      )
      .all(params) as Row[];
    const page = rows.slice(0, query.limit).map(toEntry);
    const last = page[page.length - 1];
    return { items: page, next: rows.length > query.limit && last ? String(last.seq) : null };
  }

  async verify(): Promise<VerifyReport> {
    const head = this.db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as
      { seq: number; hash: string } | undefined;
    const rows = this.db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<Row>;
    return verifyChain(
      (function* () {
        for (const row of rows) yield toEntry(row);
      })(),
      head ?? null,
    );
  }
}

function toEntry(row: Row): AuditEntry {
  let detail: Record<string, unknown>;
  try {
    detail = JSON.parse(row.detail) as Record<string, unknown>;
  } catch {
    detail = { unparsable: row.detail };
  }
  return {
    seq: row.seq,
    time: row.time,
    actor: row.actor,
    action: row.action,
    target: row.target,
    origin: row.origin,
    detail,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
