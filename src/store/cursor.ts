import { createHash } from 'node:crypto';
import { InvalidCursor, type EventQuery } from './event-store.ts';

/**
 * A page cursor: the sort position of the last item returned plus the snapshot bound (the highest arrival
 * sequence visible when the first page was read), so later pages ignore events that arrived meanwhile.
 * `f` fingerprints the filters so a cursor cannot be replayed against a different query.
 */
export interface CursorState {
  /** `time` of the last item. */
  t: string;
  /** Arrival sequence (or store-specific tie breaker) of the last item. */
  s: string;
  /** Snapshot bound. */
  m: string;
  f: string;
}

const MAX_CURSOR_LENGTH = 512;

export function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

export function decodeCursor(cursor: string, query: EventQuery): CursorState {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw new InvalidCursor('cursor is malformed: pass back the `next` value of a previous page unchanged');
  }
  let state: unknown;
  try {
    state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor('cursor is malformed: pass back the `next` value of a previous page unchanged');
  }
  if (!isCursorState(state)) {
    throw new InvalidCursor('cursor is malformed: pass back the `next` value of a previous page unchanged');
  }
  if (state.f !== filterFingerprint(query)) {
    throw new InvalidCursor('cursor belongs to a different query: repeat the same filters and order');
  }
  return state;
}

function isCursorState(value: unknown): value is CursorState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.t === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/.test(v.t) &&
    typeof v.s === 'string' &&
    v.s.length <= 64 &&
    typeof v.m === 'string' &&
    v.m.length <= 64 &&
    typeof v.f === 'string'
  );
}

/** Fingerprint of everything but limit and cursor. */
export function filterFingerprint(query: EventQuery): string {
  const { limit: _limit, cursor: _cursor, ...filters } = query;
  const canonical = JSON.stringify(filters, Object.keys(filters).sort());
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 12);
}
