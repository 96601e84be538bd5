import type { ApiKeyRecord, Scope } from '../../api/auth/api-keys.ts';
import { nowInstant } from '../../core/time.ts';
import type { SqliteDatabase } from './open-database.ts';

export interface StoredKey extends ApiKeyRecord {
  createdAt: string;
  createdBy: string;
}

/**
 * API keys created through the admin API by earlier versions (hashes only). Now only read at start, when
 * they move to the shared store (src/api/auth/state-key-store.ts), which every replica sees.
 */
export class SqliteKeyStore {
  constructor(private readonly db: SqliteDatabase) {}

  list(): StoredKey[] {
    return (
      this.db.prepare('SELECT * FROM api_keys ORDER BY name').all() as {
        name: string;
        sha256: string;
        scopes: string;
        team: string | null;
        created_at: string;
        created_by: string;
      }[]
    ).map((row) => ({
      name: row.name,
      sha256: row.sha256,
      scopes: JSON.parse(row.scopes) as Scope[],
      team: row.team,
      createdAt: row.created_at,
      createdBy: row.created_by,
    }));
  }

  /** False when the name is taken. */
  create(record: ApiKeyRecord, createdBy: string): boolean {
    const result = this.db
      .prepare(
        'INSERT OR IGNORE INTO api_keys (name, sha256, scopes, team, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(record.name, record.sha256, JSON.stringify(record.scopes), record.team, nowInstant(), createdBy);
    return result.changes === 1;
  }

  delete(name: string): boolean {
    return this.db.prepare('DELETE FROM api_keys WHERE name = ?').run(name).changes === 1;
  }
}
