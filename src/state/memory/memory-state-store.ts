import { StateKindMismatch } from '../errors.ts';
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

type Entry =
  | { kind: 'string'; value: string; expiresAt: number | null }
  | { kind: 'hash'; fields: Map<string, string>; expiresAt: number | null }
  | { kind: 'set'; members: Set<string>; expiresAt: number | null };

type Kind = Entry['kind'];

export interface MemoryStateStoreOptions {
  /** Epoch milliseconds; inject a manual clock to test expiry without waiting. */
  now?: () => number;
}

/**
 * The in-process state store for unit tests and single-process tools. Atomic because every method runs
 * to completion on the one JavaScript thread; expiry is checked on every access, and `sweepExpired()`
 * reclaims memory of keys nobody reads again. Not shared between processes.
 */
export class MemoryStateStore implements StateBackend {
  readonly name = 'state-memory';
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(options: MemoryStateStoreOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  async start(): Promise<void> {}

  async shutdown(): Promise<void> {}

  async ping(): Promise<void> {}

  async incr(key: string, by: number, ttlMs?: number): Promise<number> {
    checkKey(key);
    checkIncrement(by);
    checkTtl(ttlMs);
    const entry = this.live(key, 'string');
    if (!entry) {
      this.entries.set(key, { kind: 'string', value: String(by), expiresAt: this.expiry(ttlMs) });
      return by;
    }
    const current = parseCounter(entry.value);
    if (current === null)
      throw new StateKindMismatch(`incr: the value of ${quoteKey(key)} is not an integer`);
    const next = addToCounter(current, by);
    entry.value = String(next);
    return next;
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
    let entry = this.live(key, 'hash');
    if (!entry) {
      entry = { kind: 'hash', fields: new Map(), expiresAt: null };
      this.entries.set(key, entry);
    }
    for (const [field, value] of pairs) entry.fields.set(field, value);
    if (ttlMs !== undefined) entry.expiresAt = this.expiry(ttlMs);
  }

  async hgetall(key: string): Promise<Record<string, string>> {
    checkKey(key);
    const entry = this.live(key, 'hash');
    return entry ? Object.fromEntries(entry.fields) : {};
  }

  async sadd(key: string, members: readonly string[], ttlMs?: number): Promise<number> {
    checkKey(key);
    for (const member of members) checkText(member, 'member');
    checkTtl(ttlMs);
    if (members.length === 0) return 0;
    let entry = this.live(key, 'set');
    if (!entry) {
      entry = { kind: 'set', members: new Set(), expiresAt: null };
      this.entries.set(key, entry);
    }
    const before = entry.members.size;
    for (const member of members) entry.members.add(member);
    if (ttlMs !== undefined) entry.expiresAt = this.expiry(ttlMs);
    return entry.members.size - before;
  }

  async smembers(key: string): Promise<string[]> {
    checkKey(key);
    return [...(this.live(key, 'set')?.members ?? [])];
  }

  async get(key: string): Promise<string | null> {
    checkKey(key);
    return this.live(key, 'string')?.value ?? null;
  }

  async compareAndSet(key: string, expected: string | null, next: string, ttlMs?: number): Promise<boolean> {
    checkKey(key);
    if (expected !== null) checkText(expected, 'expected');
    checkText(next, 'next');
    checkTtl(ttlMs);
    const current = this.live(key, 'string')?.value ?? null;
    if (current !== expected) return false;
    this.entries.set(key, { kind: 'string', value: next, expiresAt: this.expiry(ttlMs) });
    return true;
  }

  async claim(key: string, owner: string, ttlMs: number): Promise<ClaimResult> {
    checkKey(key);
    checkKey(owner, 'owner');
    checkTtl(ttlMs);
    const entry = this.live(key, 'string');
    if (entry && entry.value !== owner) return { claimed: false, owner: entry.value };
    this.entries.set(key, { kind: 'string', value: owner, expiresAt: this.expiry(ttlMs) });
    return { claimed: true, owner };
  }

  async recordOnce(key: string, value: string, ttlMs?: number): Promise<boolean> {
    checkKey(key);
    checkText(value);
    checkTtl(ttlMs);
    if (this.live(key, 'string')) return false;
    this.entries.set(key, { kind: 'string', value, expiresAt: this.expiry(ttlMs) });
    return true;
  }

  async del(key: string): Promise<boolean> {
    checkKey(key);
    const existed = this.live(key) !== undefined;
    this.entries.delete(key);
    return existed;
  }

  /** Forgets every expired key; resolves to how many. */
  async sweepExpired(): Promise<number> {
    const now = this.now();
    let removed = 0;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt !== null && entry.expiresAt <= now) {
        this.entries.delete(key);
        removed += 1;
      }
    }
    return removed;
  }

  /** The unexpired entry at `key` (dropping an expired one), checked to be of `kind` when given. */
  private live<K extends Kind>(key: string, kind?: K): Extract<Entry, { kind: K }> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    if (kind !== undefined && entry.kind !== kind) {
      throw new StateKindMismatch(`${quoteKey(key)} holds a ${entry.kind}, not a ${kind}`);
    }
    return entry as Extract<Entry, { kind: K }>;
  }

  private expiry(ttlMs: number | undefined): number | null {
    return ttlMs === undefined ? null : this.now() + ttlMs;
  }
}
