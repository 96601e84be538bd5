import type { Rejection } from '../../core/event.ts';
import { nowInstant } from '../../core/time.ts';
import type { DeadLetterStore, StoredRejection } from '../event-store.ts';
import type { SqliteDatabase } from './open-database.ts';

/** Raw records are kept up to this size; `rawBytes` tells how big the original was. */
export const MAX_KEPT_RAW_BYTES = 64 * 1024;

export class SqliteDeadLetterStore implements DeadLetterStore {
  private readonly insert;

  constructor(private readonly db: SqliteDatabase) {
    this.insert = db.prepare(
      `INSERT INTO rejections (received_at, source, reason, detail, location, raw, raw_bytes)
       VALUES (@receivedAt, @source, @reason, @detail, @location, @raw, @rawBytes)`,
    );
  }

  async keep(rejections: readonly Rejection[]): Promise<void> {
    const receivedAt = nowInstant();
    this.db.transaction(() => {
      for (const r of rejections) {
        const rawBytes = Buffer.byteLength(r.raw);
        this.insert.run({
          receivedAt,
          source: r.source,
          reason: r.reason,
          detail: r.detail.slice(0, 2000),
          location: r.location,
          raw: rawBytes > MAX_KEPT_RAW_BYTES ? truncateUtf8(r.raw, MAX_KEPT_RAW_BYTES) : r.raw,
          rawBytes,
        });
      }
    })();
  }

  /** Newest first. */
  async list(options: { source?: string; limit: number }): Promise<StoredRejection[]> {
    const rows = this.db
      .prepare(
        `SELECT received_at, source, reason, detail, location, raw, raw_bytes FROM rejections
         WHERE (@source IS NULL OR source = @source) ORDER BY seq DESC LIMIT @limit`,
      )
      .all({ source: options.source ?? null, limit: options.limit }) as {
      received_at: string;
      source: string;
      reason: string;
      detail: string;
      location: string | null;
      raw: string;
      raw_bytes: number;
    }[];
    return rows.map((row) => ({
      receivedAt: row.received_at,
      source: row.source,
      reason: row.reason,
      detail: row.detail,
      location: row.location,
      raw: row.raw,
      rawBytes: row.raw_bytes,
    }));
  }
}

function truncateUtf8(text: string, maxBytes: number): string {
  return Buffer.from(text)
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}
