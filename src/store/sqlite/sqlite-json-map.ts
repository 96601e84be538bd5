import type { SqliteDatabase } from './open-database.ts';

/**
 * A durable string -> JSON map in the embedded database, one namespace per user (tail positions, check
 * states...). The table is created on first use so side stores need no shared migration slot.
 */
export class SqliteJsonMap<T> {
  private readonly getStmt;
  private readonly setStmt;

  constructor(
    db: SqliteDatabase,
    private readonly namespace: string,
  ) {
    db.exec(
      'CREATE TABLE IF NOT EXISTS json_map (namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (namespace, key))',
    );
    this.getStmt = db.prepare('SELECT value FROM json_map WHERE namespace = ? AND key = ?').pluck();
    this.setStmt = db.prepare(
      'INSERT INTO json_map (namespace, key, value) VALUES (?, ?, ?) ON CONFLICT(namespace, key) DO UPDATE SET value = excluded.value',
    );
  }

  async get(key: string): Promise<T | undefined> {
    const value = this.getStmt.get(this.namespace, key) as string | undefined;
    return value === undefined ? undefined : (JSON.parse(value) as T);
  }

  async set(key: string, value: T): Promise<void> {
    this.setStmt.run(this.namespace, key, JSON.stringify(value));
  }
}
