import type { EventKind, Rejection, TributaryEvent } from '../core/event.ts';

/** Filters shared by every query endpoint. Text search (`q`) matches all words of the event's message. */
export interface EventQuery {
  kinds?: readonly EventKind[];
  service?: string;
  host?: string;
  level?: string;
  source?: string;
  traceId?: string;
  /** Inclusive lower bound, normalized instant. */
  from?: string;
  /** Exclusive upper bound, normalized instant. */
  to?: string;
  q?: string;
  /** Restricts results to these services (team scoping); undefined = no restriction. */
  services?: readonly string[];
  limit: number;
  /** Direction of the sort. */
  order: 'asc' | 'desc';
  /**
   * What the sort is by: `timestamp` (default) is each event's own `time`, as its host's clock said;
   * `causal` is the order key of the ordering stage (issue 5), ties by arrival.
   */
  sortBy?: 'causal' | 'timestamp';
  /** Opaque token from a previous page of the same query. */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Cursor of the next page, null on the last one. */
  next: string | null;
  /** With `sortBy: 'causal'`: where each item sits in the causal order, by event id. */
  orderings?: Record<string, EventOrdering>;
}

/**
 * Where an event sits in the causal order, kept beside the event (whose raw `timestamp` and `time` are
 * never rewritten). `key` is `<normalized instant>.<6-digit logical counter>`: text order is key order.
 * An event is stored with a provisional ordering (its offset-corrected time, or `time` when none is given)
 * and gets its final one when the ordering stage releases it.
 */
export interface EventOrdering {
  key: string;
  /** Host clock offset subtracted from `time` to get the key's instant, in ms; null when none is known. */
  offsetMs: number | null;
  /** Bound on the error of that offset, in ms; null when unknown. */
  errorMs: number | null;
  /** The key was assigned after a causal successor's, or after the watermark had passed the event. */
  late: boolean;
  /** Released by the buffer's byte cap or a wait timeout before everything it waited for had arrived. */
  forced: boolean;
  /** False while provisional, true once the ordering stage released the event. */
  final: boolean;
}

export interface OrderKeyAssignment extends EventOrdering {
  id: string;
}

/** The ordering stage's way back into the store: final keys for events already stored. */
export interface OrderKeyStore {
  /** Sets the ordering of stored events by id (unknown ids are skipped); resolves when durable with the count updated. */
  setOrderKeys(assignments: readonly OrderKeyAssignment[]): Promise<number>;
}

/** `key` text of an event stored without an ordering: its own time, logical counter 0. */
export function timeOrderKey(time: string): string {
  return `${time}.000000`;
}

/** `<normalized instant>.<6 digits>`; anything else is refused by `setOrderKeys`. */
export const ORDER_KEY_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z\.\d{6}$/;

/**
 * Where events are kept. Contract (checked by test/conformance/event-store.conformance.ts):
 * - `append` is idempotent by event id: appending an event twice stores it once (with its first ordering);
 *   when its promise resolves the events are durable (they survive a crash of this process).
 *   `orderings` (by event id) gives provisional orderings; events without one get `timeOrderKey(time)`.
 * - `query` returns events in `time` order, or order-key order with `sortBy: 'causal'` (ties broken by
 *   arrival either way); pages are stable under concurrent appends: following `next` never repeats or
 *   skips an event that existed when the first page was read.
 */
export interface EventStore {
  append(
    events: readonly TributaryEvent[],
    orderings?: ReadonlyMap<string, EventOrdering>,
  ): Promise<AppendResult>;
  query(query: EventQuery): Promise<Page<TributaryEvent>>;
}

export interface AppendResult {
  /** Events newly stored (duplicates by id are not counted). */
  stored: number;
  /**
   * Ids of the events newly stored, when the backend can tell: the ordering stage is given only these
   * (a redelivered event keeps the key it got the first time).
   */
  storedIds?: string[];
}

/** Rejected input, kept with its reason (the dead-letter store). */
export interface DeadLetterStore {
  keep(rejections: readonly Rejection[]): Promise<void>;
}

export interface StoredRejection extends Rejection {
  receivedAt: string;
  /** Size of the raw record before truncation. */
  rawBytes: number;
}

/** Deletes what is older than the retention period. */
export interface Retention {
  deleteOlderThan(instant: string): Promise<number>;
}

export class InvalidCursor extends Error {
  override readonly name = 'InvalidCursor';
}
