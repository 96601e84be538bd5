import type { Component } from '../core/lifecycle.ts';

/**
 * Shared alerting state: the notification ledger, dedup, flap history and silences. One contract, three
 * implementations (Redis for several replicas, SQLite embedded, memory for unit tests), all held to
 * test/conformance/state-store.conformance.ts.
 *
 * Rules every method follows:
 * - Keys are non-empty strings; keys, values, fields and members are well-formed Unicode strings (no lone
 *   surrogates: every backend stores UTF-8, so they could not come back unchanged). Binary data is the
 *   caller's to encode (base64). No character is special: `*`, `{}`, newlines and Lua are plain data.
 * - A key holds one kind of value: a string (get, compareAndSet, recordOnce, claim, incr — a counter is
 *   the string of its decimal value), a hash, or a set. An operation on a key of another kind rejects with
 *   `StateKindMismatch` and changes nothing; so does `incr` on a string that is not an integer.
 * - Every method is atomic: no other client observes or interleaves with half of it. Writes are durable in
 *   the backend's terms (SQLite: committed; Redis: as the server's persistence is configured).
 * - TTLs are positive integers of milliseconds. An expired key is gone for every operation as if `del`ed
 *   (a hash or set vanishes whole); the next write starts afresh. Backends may reclaim space later.
 * - A backend that cannot be reached rejects promptly with `StateUnavailable`; nothing waits in a queue.
 * - Argument errors (empty key, bad TTL, lone surrogate) reject with `InvalidStateArgument`.
 */
export interface StateStore extends CounterState, HashState, SetState, RegisterState, LedgerState {
  /** Removes the key whatever its kind; true when it existed (and had not expired). */
  del(key: string): Promise<boolean>;
}

/** Counters (flap transitions, rate windows). */
export interface CounterState {
  /**
   * Adds `by` (a safe integer, may be negative) to the counter, an absent one counting as 0; resolves to
   * the new value. `ttlMs` applies only when this call creates the counter: a fixed window that starts at
   * the first increment. An existing counter keeps its expiry (or its lack of one).
   */
  incr(key: string, by: number, ttlMs?: number): Promise<number>;
}

/** Hashes (a notification-log entry, a silence). */
export interface HashState {
  /**
   * Sets `fields` on the hash, keeping its other fields; creates it when absent. With `ttlMs` the whole
   * hash expires `ttlMs` after this call (refreshed on every write); without, its expiry is unchanged.
   * An empty `fields` is a no-op.
   */
  hset(key: string, fields: Readonly<Record<string, string>>, ttlMs?: number): Promise<void>;
  /** Every field of the hash; `{}` when absent or expired. */
  hgetall(key: string): Promise<Record<string, string>>;
}

/** Sets (alerts grouped into a notification, symptoms suppressed by an incident). */
export interface SetState {
  /**
   * Adds `members`; resolves to how many were not there before (a member repeated in `members` counts
   * once). TTL as `hset`: refreshed on every call that passes it. An empty `members` is a no-op.
   */
  sadd(key: string, members: readonly string[], ttlMs?: number): Promise<number>;
  /** The members, in no particular order; `[]` when absent or expired. */
  smembers(key: string): Promise<string[]>;
}

/** Single values updated by optimistic concurrency (last-notified state of a group, flap state). */
export interface RegisterState {
  /** The string value, or null when absent or expired. */
  get(key: string): Promise<string | null>;
  /**
   * Writes `next` only if the current value is `expected` (null: only if absent or expired); resolves
   * whether it wrote. With `ttlMs` the value expires `ttlMs` after this write; without, it never expires
   * (an earlier expiry is dropped). When it does not write, nothing changes.
   */
  compareAndSet(key: string, expected: string | null, next: string, ttlMs?: number): Promise<boolean>;
}

/** The notification ledger's "decide once" primitives: two replicas never both act on one decision. */
export interface LedgerState {
  /**
   * A lease. When the key is free (absent or expired) `owner` takes it for `ttlMs` and gets
   * `{ claimed: true, owner }`. When `owner` already holds it, the claim is renewed for `ttlMs` from now
   * and also answers `claimed: true` (retries are idempotent). When another owner holds it, nothing
   * changes and the answer names the holder: `{ claimed: false, owner: holder }`.
   */
  claim(key: string, owner: string, ttlMs: number): Promise<ClaimResult>;
  /**
   * Stores `value` only if the key is absent or expired; resolves true when it stored (the first record
   * wins, later ones change nothing, not even the expiry). With `ttlMs` the record expires then; without,
   * it is kept until deleted.
   */
  recordOnce(key: string, value: string, ttlMs?: number): Promise<boolean>;
}

export interface ClaimResult {
  /** True when the caller holds the claim after this call. */
  claimed: boolean;
  /** Who holds it: the caller when `claimed`, the other holder otherwise. */
  owner: string;
}

/**
 * What the composition root holds: the store plus its lifecycle. `start()` connects (Redis) or begins the
 * expiry sweep (SQLite); `shutdown(deadline)` is idempotent and safe without `start()`.
 */
export interface StateBackend extends StateStore, Component {
  /** Resolves when the backend answers (readiness); rejects with `StateUnavailable` otherwise. */
  ping(): Promise<void>;
}
