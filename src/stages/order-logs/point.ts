import type { OrderKey } from './order-key.ts';
import type { OrderRecord } from './order-record.ts';
import type { HostOffset } from './host-offsets.ts';
import type { SourceTrack } from './source-track.ts';
import type { SpanEntry } from './span-entry.ts';

/**
 * One instant the order is about: a log, or the start or the end of a span (a span is two instants; its
 * stored row sorts by its start). A point is pending until released with its final key.
 */
export interface Point {
  readonly record: OrderRecord;
  readonly role: 'log' | 'start' | 'end';
  /** Raw time of this instant (its host's clock), Unix ns. */
  readonly rawNs: bigint;
  /** Half the stream's timestamp granularity: the middle of the interval a truncated stamp stands for. */
  readonly halfGranularityNs: bigint;
  /** Offset-corrected time when it arrived, ms: the release order and the watermark's axis. */
  candidateMs: number;
  readonly arrivalMs: number;
  /** Until when it may wait for a missing or pending predecessor (processing time). */
  readonly waitUntilMs: number;
  /** Until when it may stay unreleased at all, whatever the watermark says. */
  readonly holdUntilMs: number;
  /** pending: before the watermark; gated: the watermark passed, waiting for predecessors; final. */
  state: 'pending' | 'gated' | 'final';
  key: OrderKey | null;
  offset: HostOffset | null;
  lateArrival: boolean;
  /** What it waits for: a pending point, or a reference (`span:` / `seq:`) to something not seen yet. */
  blockedOn: Point | string | null;
  /** Predecessors given up on (timed out, cycle): point ids and references. */
  skipped: Set<string> | null;
  /** Points blocked on this one. */
  waiters: Point[] | null;
  /** Released by the byte cap or the hold limit rather than by the watermark. */
  capForced: boolean;
  /** Set when released: it came late (after the watermark, or after a successor was keyed). */
  late: boolean;
  /** Set when released: it gave up waiting for something, or the byte cap or hold limit released it. */
  forced: boolean;
  /** Set when released: no key could respect every edge; the one to a keyed successor was broken. */
  violated: boolean;
  releasedMs: number;
  /** Span points: their span. Logs: the span they were written in. */
  readonly span: SpanEntry | null;
  /** Span points: the parent span. */
  readonly parent: SpanEntry | null;
  /** Program order of its emitter, when it has a sequence. */
  readonly track: SourceTrack | null;
  /** Logs: where it can latest and most likely be, as last worked out (see OrderingBuffer.placeLog). */
  places: LogPlaces | null;
}

/** A log's latest and likeliest places (corrected ns) for one offset and one state of its span. */
export interface LogPlaces {
  offsetNs: bigint;
  spanVersion: number;
  latest: bigint;
  likely: bigint | null;
}

/** A point as the buffer releases it: keyed. */
export type ReleasedPoint = Point & { readonly key: OrderKey };

export function pointId(p: Point): string {
  return p.role === 'end' ? `${p.record.id}#end` : p.record.id;
}

/** A new pending point; `candidateMs` is its corrected time as estimated on arrival. */
export function createPoint(fields: {
  record: OrderRecord;
  role: Point['role'];
  rawNs: bigint;
  halfGranularityNs: bigint;
  candidateMs: number;
  arrivalMs: number;
  waitUntilMs: number;
  holdUntilMs: number;
  span: SpanEntry | null;
  parent: SpanEntry | null;
  track: SourceTrack | null;
}): Point {
  // Every field spelt out in one literal: all points share one shape (a spread would not guarantee it).
  return {
    record: fields.record,
    role: fields.role,
    rawNs: fields.rawNs,
    halfGranularityNs: fields.halfGranularityNs,
    candidateMs: fields.candidateMs,
    arrivalMs: fields.arrivalMs,
    waitUntilMs: fields.waitUntilMs,
    holdUntilMs: fields.holdUntilMs,
    state: 'pending',
    key: null,
    offset: null,
    lateArrival: false,
    blockedOn: null,
    skipped: null,
    waiters: null,
    capForced: false,
    late: false,
    forced: false,
    violated: false,
    releasedMs: 0,
    span: fields.span,
    parent: fields.parent,
    track: fields.track,
    places: null,
  };
}
