import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../../store/sqlite/open-database.ts';
import { StateKindMismatch, StateUnavailable } from '../errors.ts';
import type { ClaimResult, StateBackend } from '../state-store.ts';
import {
  addToCounter,
  checkIncrement,
  checkKey,
  checkText,
  checkTtl,
  parseCounter,
  quoteKey,
} from '../validate-args.ts';
import { migrateStateTables } from './state-tables.ts';

type Kind = 'string' | 'hash' | 'set';
interface EntryRow {
  kind: Kind;
  value: string | null;
  expiresAt: number | null;
}

export interface SqliteStateStoreOptions {
  /** How often expired keys are deleted (ms); 0 = never on a timer (call `sweepExpired()`). */
  sweepIntervalMs?: number;
  /** Epoch milliseconds; inject a manual clock to test expiry without waiting. */
  now?: () => number;
  /** Close the database on shutdown (when the store opened it for itself). */
  closeDatabase?: boolean;
}

const SWEEP_BATCH = 500;

/**
 * The embedded state store. Every write runs in a `BEGIN IMMEDIATE` transaction, so it is atomic
 * against other connections and processes on the same file; reads run in a snapshot. Expiry is checked
 * on every read and write (an expired row is treated as absent, and deleted by the next write to it);
 * a periodic sweep deletes expired keys nobody touches again. Creates its tables on construction.
 */
export class SqliteStateStore implements StateBackend {
  readonly name = 'state-sqlite';
  private readonly now: () => number;
  private readonly sql: ReturnType<typeof prepare>;
  private readonly writeTx: <T>(work: () => T) => T;
  private readonly readTx: <T>(work: () => T) => T;
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;
  private stopped = false;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly options: SqliteStateStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    migrateStateTables(db);
    this.sql = prepare(db);
    const tx = db.transaction((work: () => unknown) => work());
    this.writeTx = <T>(work: () => T): T => tx.immediate(work) as T;
    this.readTx = <T>(work: () => T): T => tx.deferred(work) as T;
  }

  async start(): Promise<void> {
    const interval = this.options.sweepIntervalMs ?? 60_000;
    if (interval > 0 && !this.timer && !this.stopped) {
      this.timer = setInterval(() => void this.sweepExpired().catch(() => undefined), interval);
      this.timer.unref();
    }
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.sweeping) await this.sweeping.catch(() => undefined);
    if (this.options.closeDatabase && this.db.open) this.db.close();
  }

  async ping(): Promise<void> {
    if (!this.db.open) throw new StateUnavailable('the state database is closed', { notApplied: true });
    this.sql.ping.get();
  }

  async incr(key: string, by: number, ttlMs?: number): Promise<number> {
    checkKey(key);
    checkIncrement(by);
    checkTtl(ttlMs);
    return this.writeTx(() => {
      const entry = this.liveForWrite(key, 'string');
      if (!entry) {
        this.sql.putString.run(key, String(by), this.expiry(ttlMs));
        return by;
      }
      const current = entry.value === null ? null : parseCounter(entry.value);
      if (current === null)
        throw new StateKindMismatch(`incr: the value of ${quoteKey(key)} is not an integer`);
      const next = addToCounter(current, by);
      this.sql.putString.run(key, String(next), entry.expiresAt);
      return next;
    });
  }

  async hset(key: string, fields: Readonly<Record<string, string>>, ttlMs?: number): Promise<void> {
    checkKey(key);
    const pairs = Object.entries(fields);
    for (const [field, value] of pairs) {
      checkText(field, 'field');
      checkText(value);
    }
    checkTtl(ttlMs);
    if (pairs.length === 0) return;
    this.writeTx(() => {
      this.openContainer(key, 'hash', ttlMs);
      for (const [field, value] of pairs) this.sql.putField.run(key, field, value);
    });
  }

  async hgetall(key: string): Promise<Record<string, string>> {
    checkKey(key);
    return this.readTx(() => {
      if (!this.liveForRead(key, 'hash')) return {};
      const rows = this.sql.items.all(key) as { item: string; value: string }[];
      return Object.fromEntries(rows.map((r) => [r.item, r.value]));
    });
  }

  async sadd(key: string, members: readonly string[], ttlMs?: number): Promise<number> {
    checkKey(key);
    for (const member of members) checkText(member, 'member');
    checkTtl(ttlMs);
    if (members.length === 0) return 0;
    return this.writeTx(() => {
      this.openContainer(key, 'set', ttlMs);
      let added = 0;
      for (const member of members) added += this.sql.addMember.run(key, member).changes;
      return added;
    });
  }

  async smembers(key: string): Promise<string[]> {
    checkKey(key);
    return this.readTx(() => {
      if (!this.liveForRead(key, 'set')) return [];
      return (this.sql.items.all(key) as { item: string }[]).map((r) => r.item);
    });
  }

  async get(key: string): Promise<string | null> {
    checkKey(key);
    return this.readTx(() => this.liveForRead(key, 'string')?.value ?? null);
  }

  async compareAndSet(key: string, expected: string | null, next: string, ttlMs?: number): Promise<boolean> {
    checkKey(key);
    if (expected !== null) checkText(expected, 'expected');
    checkText(next, 'next');
    checkTtl(ttlMs);
    return this.writeTx(() => {
      const current = this.liveForWrite(key, 'string')?.value ?? null;
      if (current !== expected) return false;
      this.sql.putString.run(key, next, this.expiry(ttlMs));
      return true;
    });
  }

  async claim(key: string, owner: string, ttlMs: number): Promise<ClaimResult> {
    checkKey(key);
    checkKey(owner, 'owner');
    checkTtl(ttlMs);
    return this.writeTx(() => {
      const holder = this.liveForWrite(key, 'string')?.value ?? null;
      if (holder !== null && holder !== owner) return { claimed: false, owner: holder };
      this.sql.putString.run(key, owner, this.expiry(ttlMs));
      return { claimed: true, owner };
    });
  }

  async recordOnce(key: string, value: string, ttlMs?: number): Promise<boolean> {
    checkKey(key);
    checkText(value);
    checkTtl(ttlMs);
    return this.writeTx(() => {
      if (this.liveForWrite(key, 'string')) return false;
      this.sql.putString.run(key, value, this.expiry(ttlMs));
      return true;
    });
  }

  async del(key: string): Promise<boolean> {
    checkKey(key);
    return this.writeTx(() => {
      const existed = this.liveForWrite(key) !== undefined;
      this.deleteKey(key);
      return existed;
    });
  }

  /** Deletes every expired key, in small transactions that let other work in between; resolves to how many. */
  sweepExpired(): Promise<number> {
    this.sweeping ??= (async () => {
      let removed = 0;
      try {
        for (;;) {
          if (!this.db.open) return removed;
          const batch = this.writeTx(() => {
            const keys = (this.sql.expiredKeys.all(this.now(), SWEEP_BATCH) as { key: string }[]).map(
              (r) => r.key,
            );
            for (const key of keys) this.deleteKey(key);
            return keys.length;
          });
          removed += batch;
          if (batch < SWEEP_BATCH) return removed;
          await yieldToEventLoop();
        }
      } finally {
        this.sweeping = null;
      }
    })();
    return this.sweeping;
  }

  /** The live entry for a read; expired rows are ignored (the sweep or the next write deletes them). */
  private liveForRead(key: string, kind: Kind): EntryRow | undefined {
    const entry = this.sql.entry.get(key) as EntryRow | undefined;
    if (!entry || isExpired(entry, this.now())) return undefined;
    return checkKind(key, entry, kind);
  }

  /** The live entry inside a write transaction; an expired one is deleted first. */
  private liveForWrite(key: string, kind?: Kind): EntryRow | undefined {
    const entry = this.sql.entry.get(key) as EntryRow | undefined;
    if (!entry) return undefined;
    if (isExpired(entry, this.now())) {
      this.deleteKey(key);
      return undefined;
    }
    return kind === undefined ? entry : checkKind(key, entry, kind);
  }

  /** Makes sure a live hash or set exists at `key`, applying a TTL when given. */
  private openContainer(key: string, kind: 'hash' | 'set', ttlMs: number | undefined): void {
    const entry = this.liveForWrite(key, kind);
    if (!entry) this.sql.putContainer.run(key, kind, this.expiry(ttlMs));
    else if (ttlMs !== undefined) this.sql.setExpiry.run(this.expiry(ttlMs), key);
  }

  private deleteKey(key: string): void {
    this.sql.deleteItems.run(key);
    this.sql.deleteEntry.run(key);
  }

  private expiry(ttlMs: number | undefined): number | null {
    return ttlMs === undefined ? null : this.now() + ttlMs;
  }
}

function isExpired(entry: EntryRow, now: number): boolean {
  return entry.expiresAt !== null && entry.expiresAt <= now;
}

function checkKind(key: string, entry: EntryRow, kind: Kind): EntryRow {
  if (entry.kind !== kind)
    throw new StateKindMismatch(`${quoteKey(key)} holds a ${entry.kind}, not a ${kind}`);
  return entry;
}

function prepare(
  db: SqliteDatabase,
): Record<
  | 'ping'
  | 'entry'
  | 'putString'
  | 'putContainer'
  | 'setExpiry'
  | 'putField'
  | 'addMember'
  | 'items'
  | 'deleteItems'
  | 'deleteEntry'
  | 'expiredKeys',
  Statement
> {
  return {
    ping: db.prepare('SELECT 1'),
    entry: db.prepare('SELECT kind, value, expires_at AS expiresAt FROM state_entries WHERE key = ?'),
    putString: db.prepare(
      `INSERT INTO state_entries (key, kind, value, expires_at) VALUES (?, 'string', ?, ?)
       ON CONFLICT(key) DO UPDATE SET kind = 'string', value = excluded.value, expires_at = excluded.expires_at`,
    ),
    putContainer: db.prepare(
      'INSERT INTO state_entries (key, kind, value, expires_at) VALUES (?, ?, NULL, ?)',
    ),
    setExpiry: db.prepare('UPDATE state_entries SET expires_at = ? WHERE key = ?'),
    putField: db.prepare(
      `INSERT INTO state_items (key, item, value) VALUES (?, ?, ?)
       ON CONFLICT(key, item) DO UPDATE SET value = excluded.value`,
    ),
    addMember: db.prepare('INSERT OR IGNORE INTO state_items (key, item, value) VALUES (?, ?, NULL)'),
    items: db.prepare('SELECT item, value FROM state_items WHERE key = ?'),
    deleteItems: db.prepare('DELETE FROM state_items WHERE key = ?'),
    deleteEntry: db.prepare('DELETE FROM state_entries WHERE key = ?'),
    expiredKeys: db.prepare('SELECT key FROM state_entries WHERE expires_at <= ? LIMIT ?'),
  };
}
