import type { TributaryEvent } from '../../core/event.ts';
import type { EventOrdering } from '../event-store.ts';
import { defaultOrdering } from './event-ordering.ts';
import { searchText } from './search-text.ts';

/**
 * How an event is written: the event itself as `_source` (so a query returns exactly what was appended)
 * plus our own fields under `tributary`, which no event has and which are removed when reading:
 * - `arrival`: the tie breaker after `time` and the snapshot bound of cursors (see arrival-clock.ts);
 * - `time`: the normalized instant as a keyword, so order and range filters are the SQLite store's
 *   string order, whatever the year (`time` itself is `date_nanos`, for Kibana, 1970..2262);
 * - `text`: the search tokens of `message` (see search-text.ts). Kept in `_source` too: an update
 *   (`setOrderKeys`) rebuilds the document from `_source`, and would lose an excluded field;
 * - `order`: the causal ordering (key, offset, flags), set at append and replaced by `setOrderKeys`.
 */
export interface DocumentMeta {
  arrival: number;
  time: string;
  text: string;
  order: EventOrdering;
  /** Only in the degraded form: the whole event as JSON, neither indexed nor searched. */
  event?: string;
}

/** Top-level scalar fields kept indexed in the degraded form. */
const DEGRADED_FIELDS = [
  'id',
  'kind',
  'source',
  'service',
  'host',
  'container',
  'sourceKey',
  'level',
  'time',
];

export function toDocument(event: TributaryEvent, arrival: number, order: EventOrdering): object {
  return { ...event, tributary: meta(event, arrival, order) };
}

/**
 * For an event Elasticsearch refused as is (e.g. attributes nested deeper than `flattened` allows): the
 * filterable scalars and the message stay indexed, the rest is kept as an opaque JSON string, so the
 * event is stored and returned unchanged instead of blocking the pipeline.
 */
export function toDegradedDocument(event: TributaryEvent, arrival: number, order: EventOrdering): object {
  const doc: Record<string, unknown> = { message: event.message };
  const fields = event as unknown as Record<string, unknown>;
  for (const key of DEGRADED_FIELDS) {
    if (typeof fields[key] === 'string') doc[key] = fields[key];
  }
  if (typeof event.trace?.traceId === 'string') doc.trace = { traceId: event.trace.traceId };
  doc.tributary = { ...meta(event, arrival, order), event: JSON.stringify(event) };
  return doc;
}

/** The appended event back from a `_source`, with its ordering. */
export function fromSource(source: unknown): { event: TributaryEvent; ordering: EventOrdering } {
  const { tributary, ...rest } = source as { tributary?: Partial<DocumentMeta> };
  const event =
    typeof tributary?.event === 'string'
      ? (JSON.parse(tributary.event) as TributaryEvent)
      : (rest as unknown as TributaryEvent);
  return { event, ordering: tributary?.order ?? defaultOrdering(event.time) };
}

function meta(event: TributaryEvent, arrival: number, order: EventOrdering): DocumentMeta {
  return { arrival, time: event.time, text: searchText(event.message), order };
}
