import type { SqliteDatabase } from '../../store/sqlite/open-database.ts';

/**
 * The state store's tables, versioned apart from the event store's (which owns `user_version`), so they
 * can live in the event database or in a file of their own. Every name starts with `state_`.
 * - `state_entries`: one row per live key: its kind, its value when a string, its expiry (epoch ms).
 * - `state_items`: the fields of hashes (with values) and the members of sets (value NULL).
 */
const STATE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE state_entries (
     key TEXT PRIMARY KEY,
     kind TEXT NOT NULL CHECK (kind IN ('string', 'hash', 'set')),
     value TEXT,
     expires_at INTEGER
   );
   CREATE INDEX state_entries_expiry ON state_entries(expires_at) WHERE expires_at IS NOT NULL;
   CREATE TABLE state_items (
     key TEXT NOT NULL,
     item TEXT NOT NULL,
     value TEXT,
     PRIMARY KEY (key, item)
   );`,
];

/** Creates or upgrades the state tables; idempotent, safe when several connections open at once. */
export function migrateStateTables(db: SqliteDatabase): void {
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS state_schema (version INTEGER NOT NULL)');
    const row = db.prepare('SELECT version FROM state_schema').get() as { version: number } | undefined;
    const version = row?.version ?? 0;
    for (let v = version; v < STATE_MIGRATIONS.length; v++) db.exec(STATE_MIGRATIONS[v] as string);
    if (!row) db.prepare('INSERT INTO state_schema (version) VALUES (?)').run(STATE_MIGRATIONS.length);
    else if (version < STATE_MIGRATIONS.length) {
      db.prepare('UPDATE state_schema SET version = ?').run(STATE_MIGRATIONS.length);
    }
  }).immediate();
}
