import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { SqliteDatabase } from '../../store/sqlite/open-database.ts';

/**
 * Opens (creating if needed) `state.db` under `dataDir`: WAL, `synchronous=FULL` (a ledger decision that
 * was answered survives a crash, so a restart never notifies twice). A file of its own so the ledger's
 * small transactions never wait behind the event store's large batches. `:memory:` for tests.
 */
export function openStateDatabase(dataDir: string | ':memory:'): SqliteDatabase {
  let db: SqliteDatabase;
  if (dataDir === ':memory:') {
    db = new Database(':memory:');
  } else {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(join(dataDir, 'state.db'));
    db.pragma('journal_mode = WAL');
  }
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  return db;
}
