import { createHash } from 'node:crypto';
import type { ClaimResult } from '../../state/state-store.ts';

/**
 * The state the ledger needs: a narrow slice of the shared state store (Redis with Lua, SQLite, memory).
 * Owned here so the dedup stage can run on any of them.
 */
export interface LedgerBackend {
  get(key: string): Promise<string | null>;
  compareAndSet(key: string, expected: string | null, next: string, ttlMs?: number): Promise<boolean>;
  claim(key: string, owner: string, ttlMs: number): Promise<ClaimResult>;
  recordOnce(key: string, value: string, ttlMs?: number): Promise<boolean>;
}

/** What was last notified for one receiver and group (Alertmanager's nflog entry). */
export interface LedgerEntry {
  firing: string[];
  resolved: string[];
  /** Fingerprints notified as flapping (frozen until the episode ends). */
  flapping: string[];
  sentAt: number;
  /** 1, 2, 3...: one per notification of this group; part of the notification id. */
  seq: number;
}

export interface GroupState {
  firing: readonly string[];
  resolved: readonly string[];
  flapping: readonly string[];
}

export interface LedgerOptions {
  /** Who claims: unique per running process (two processes must never share it). */
  owner: string;
  /** How long a claim holds while its owner sends; longer than the send deadline. */
  leaseMs: number;
  /** How long sent records and entries are kept (beyond any repeat interval). */
  retentionMs: number;
}

export type Claim =
  { kind: 'claimed'; id: string; seq: number } | { kind: 'duplicate'; id: string; reason: string };

/**
 * Decide once, send, record. For one (receiver, group, state, seq) every replica computes the same
 * notification id; `claim` lets one of them send it; per-integration `recordOnce` marks each delivery;
 * the entry moves on with compare-and-set. A crash after a receiver's 2xx and before the record makes
 * the next owner send the same id again: at-least-once, with the id as the receiver's dedup key.
 */
export class NotificationLedger {
  constructor(
    private readonly backend: LedgerBackend,
    private readonly options: LedgerOptions,
  ) {}

  async entry(
    receiver: string,
    groupKey: string,
  ): Promise<{ raw: string | null; entry: LedgerEntry | null }> {
    const raw = await this.backend.get(entryKey(receiver, groupKey));
    return { raw, entry: raw === null ? null : parseEntry(raw) };
  }

  /**
   * Claims the notification that moves the group from `entry` (read as `previousRaw`) to `state`. When it
   * was sent already but the group's entry did not move (its sender died between the two writes of
   * `complete`), moves the entry now: otherwise every later flush would compute the same id, find it
   * sent, and the group's repeat notifications would stop.
   */
  async claim(
    receiver: string,
    groupKey: string,
    entry: LedgerEntry | null,
    state: GroupState,
    previousRaw?: string | null,
  ): Promise<Claim> {
    const seq = (entry?.seq ?? 0) + 1;
    const id = notificationId(receiver, groupKey, state, seq);
    const done = await this.backend.get(doneKey(id));
    if (done !== null) {
      if (previousRaw !== undefined) {
        const sentAt = Number(done);
        await this.moveEntry(
          receiver,
          groupKey,
          previousRaw,
          seq,
          state,
          Number.isFinite(sentAt) ? sentAt : 0,
        );
      }
      return { kind: 'duplicate', id, reason: 'already sent (ledger record exists)' };
    }
    const claim = await this.backend.claim(leaseKey(id), this.options.owner, this.options.leaseMs);
    if (!claim.claimed) return { kind: 'duplicate', id, reason: `being sent by replica ${claim.owner}` };
    return { kind: 'claimed', id, seq };
  }

  /** Renews the lease while retries go on. */
  async renew(id: string): Promise<boolean> {
    return (await this.backend.claim(leaseKey(id), this.options.owner, this.options.leaseMs)).claimed;
  }

  async delivered(id: string, integration: string): Promise<boolean> {
    return (await this.backend.get(deliveredKey(id, integration))) !== null;
  }

  async markDelivered(id: string, integration: string, at: number): Promise<void> {
    await this.backend.recordOnce(deliveredKey(id, integration), String(at), this.options.retentionMs);
  }

  /** Every integration delivered: the notification is done and the group's entry moves on. */
  async complete(
    receiver: string,
    groupKey: string,
    previousRaw: string | null,
    id: string,
    seq: number,
    state: GroupState,
    at: number,
  ): Promise<void> {
    await this.backend.recordOnce(doneKey(id), String(at), this.options.retentionMs);
    await this.moveEntry(receiver, groupKey, previousRaw, seq, state, at);
  }

  /** Loses only to a replica that completed the same or a later notification: either way the entry moved. */
  private async moveEntry(
    receiver: string,
    groupKey: string,
    previousRaw: string | null,
    seq: number,
    state: GroupState,
    at: number,
  ): Promise<void> {
    const entry: LedgerEntry = {
      firing: [...state.firing],
      resolved: [...state.resolved],
      flapping: [...state.flapping],
      sentAt: at,
      seq,
    };
    await this.backend.compareAndSet(
      entryKey(receiver, groupKey),
      previousRaw,
      JSON.stringify(entry),
      this.options.retentionMs,
    );
  }
}

export function notificationId(receiver: string, groupKey: string, state: GroupState, seq: number): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        receiver,
        groupKey,
        [...state.firing].sort(),
        [...state.resolved].sort(),
        [...state.flapping].sort(),
        seq,
      ]),
    )
    .digest('hex')
    .slice(0, 32);
}

function entryKey(receiver: string, groupKey: string): string {
  return `nflog:${hash(`${receiver}\u0000${groupKey}`)}`;
}

function leaseKey(id: string): string {
  return `nflease:${id}`;
}

function doneKey(id: string): string {
  return `nfdone:${id}`;
}

function deliveredKey(id: string, integration: string): string {
  return `nfsent:${id}:${integration}`;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 40);
}

function parseEntry(raw: string): LedgerEntry | null {
  try {
    const v = JSON.parse(raw) as LedgerEntry;
    return Array.isArray(v.firing) && Array.isArray(v.resolved) && typeof v.seq === 'number'
      ? { ...v, flapping: Array.isArray(v.flapping) ? v.flapping : [] }
      : null;
  } catch {
    return null;
  }
}

/**
 * Alertmanager's `needsUpdate`: notify when something new fires, when everything resolved (and resolved
 * notifications are wanted), when the flapping set changed, or when the repeat interval has passed.
 */
export function needsUpdate(
  entry: LedgerEntry | null,
  state: GroupState,
  sendResolved: boolean,
  repeatIntervalMs: number,
  now: number,
): boolean {
  const firing = new Set(state.firing);
  if (!entry) return firing.size > 0 || state.flapping.length > 0;
  // One notification when a flap episode starts and one when it ends, whatever joins or leaves meanwhile.
  if ((entry.flapping.length === 0) !== (state.flapping.length === 0)) return true;
  if (!isSubset(state.firing, entry.firing)) return true;
  if (firing.size < entry.firing.length && firing.size === 0 && sendResolved) return true;
  if (
    sendResolved &&
    !isSubset(state.resolved, entry.resolved) &&
    state.resolved.some((fp) => entry.firing.includes(fp))
  )
    return true;
  if (firing.size === 0 && state.flapping.length === 0) return false;
  return entry.sentAt + repeatIntervalMs <= now;
}

function isSubset(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(b);
  return a.every((x) => set.has(x));
}
