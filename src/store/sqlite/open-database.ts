import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/**
 * Opens (creating if needed) `tributary.db` under `dataDir` in WAL mode with `synchronous=FULL`:
 * a committed transaction survives a crash of the process and of the machine. `:memory:` for tests.
 */
export function openDatabase(dataDir: string | ':memory:'): SqliteDatabase {
  let db: SqliteDatabase;
  if (dataDir === ':memory:') {
    db = new Database(':memory:');
  } else {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(join(dataDir, 'tributary.db'));
    db.pragma('journal_mode = WAL');
  }
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE events (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     kind TEXT NOT NULL,
     source TEXT NOT NULL,
     service TEXT,
     host TEXT,
     level TEXT,
     time TEXT NOT NULL,
     trace_id TEXT,
     message TEXT NOT NULL,
     doc TEXT NOT NULL
   );
   CREATE INDEX events_time ON events(time, seq);
   CREATE INDEX events_kind_time ON events(kind, time, seq);
   CREATE INDEX events_service_time ON events(service, time, seq);
   CREATE INDEX events_host_time ON events(host, time, seq);
   CREATE INDEX events_trace ON events(trace_id);
   CREATE VIRTUAL TABLE events_fts USING fts5(message, content='events', content_rowid='seq');
   CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN
     INSERT INTO events_fts(rowid, message) VALUES (new.seq, new.message);
   END;
   CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
     INSERT INTO events_fts(events_fts, rowid, message) VALUES ('delete', old.seq, old.message);
   END;
   CREATE TABLE rejections (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     received_at TEXT NOT NULL,
     source TEXT NOT NULL,
     reason TEXT NOT NULL,
     detail TEXT NOT NULL,
     location TEXT,
     raw TEXT NOT NULL,
     raw_bytes INTEGER NOT NULL
   );
   CREATE INDEX rejections_time ON rejections(received_at);`,
  `CREATE TABLE services (
     name TEXT PRIMARY KEY,
     first_seen TEXT NOT NULL,
     last_seen TEXT NOT NULL,
     sources TEXT NOT NULL,
     hosts TEXT NOT NULL,
     containers TEXT NOT NULL,
     counts TEXT NOT NULL
   );`,
  `CREATE TABLE audit (
     seq INTEGER PRIMARY KEY,
     time TEXT NOT NULL,
     actor TEXT NOT NULL,
     action TEXT NOT NULL,
     target TEXT NOT NULL,
     origin TEXT NOT NULL,
     detail TEXT NOT NULL,
     prev_hash TEXT NOT NULL,
     hash TEXT NOT NULL
   );
   CREATE INDEX audit_time ON audit(time);
   CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
   CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
   CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
   CREATE TABLE api_keys (
     name TEXT PRIMARY KEY,
     sha256 TEXT NOT NULL UNIQUE,
     scopes TEXT NOT NULL,
     team TEXT,
     created_at TEXT NOT NULL,
     created_by TEXT NOT NULL
   );`,
  // Issue 5: the causal order key and what it was computed from, beside the raw timestamp. Existing rows
  // get their own time as key. events_trace is replaced by events_trace_order, which serves both lookups.
  `ALTER TABLE events ADD COLUMN order_key TEXT NOT NULL DEFAULT '';
   ALTER TABLE events ADD COLUMN order_offset_ms REAL;
   ALTER TABLE events ADD COLUMN order_error_ms REAL;
   ALTER TABLE events ADD COLUMN order_late INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE events ADD COLUMN order_forced INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE events ADD COLUMN order_final INTEGER NOT NULL DEFAULT 0;
   UPDATE events SET order_key = time || '.000000';
   CREATE INDEX events_order ON events(order_key, seq);
   CREATE INDEX events_kind_order ON events(kind, order_key, seq);
   DROP INDEX events_trace;
   CREATE INDEX events_trace_order ON events(trace_id, order_key, seq);`,
];

function migrate(db: SqliteDatabase): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
