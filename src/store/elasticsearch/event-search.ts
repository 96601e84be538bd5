import type { estypes } from '@elastic/elasticsearch';
import { InvalidCursor, type EventQuery } from '../event-store.ts';
import type { CursorState } from '../cursor.ts';
import { KEYWORD_MAX_CHARS } from './index-template.ts';
import { searchPhrases } from './search-text.ts';

/**
 * Paging. A page continues with `search_after` on (sort field, `tributary.arrival`, `id`): the sort field
 * is `tributary.time` or, with `sortBy: 'causal'`, `tributary.order.key`; the event id breaks ties
 * between replicas. This is the SQLite store's (time or key, seq) order. Stability under concurrent
 * appends comes from a snapshot bound, as in SQLite: the first page also returns the highest arrival
 * among the matching events, and later pages only see events at or below it. Every event visible when
 * the first page was read is at or below the bound, so none is skipped or repeated, whatever the clocks
 * of the replicas that wrote them; events written later by this process are above it. (A bulk still in
 * flight during the first page, or a replica whose clock lags by more than the time between two
 * writes, can add an event to later pages, never remove one.)
 *
 * Why not a point in time (`_pit`), which this distribution has: its id is hundreds of bytes (more than
 * the cursor's 64-character fields allow), it expires after its keep-alive so an idle reader's cursor
 * would break, and every first page would hold search contexts open on the cluster: a cost any API
 * client could multiply. The arrival bound is a number in a stateless cursor and never expires.
 */

/** Where a page starts: after the last item of the previous page, within the first page's snapshot. */
export interface SearchPosition {
  /** Value of the sort field: a normalized instant, or an order key. */
  sort: string;
  arrival: number;
  id: string;
  /** Highest `tributary.arrival` visible when the first page was read. */
  snapshot: number;
}

const ARRIVAL = /^\d{1,16}$/;
/** `s` of a time-order cursor: `<arrival>:<id>`; of a causal one: `<logical counter>:<arrival>:<id>`. */
const TIME_POSITION = /^(\d{1,16}):(.+)$/;
const CAUSAL_POSITION = /^(\d{6}):(\d{1,16}):(.+)$/;

export function sortField(query: EventQuery): string {
  return query.sortBy === 'causal' ? 'tributary.order.key' : 'tributary.time';
}

/** The cursor's fields back into a position; anything that is not one of our cursors is refused. */
export function positionFromCursor(state: CursorState, query: EventQuery): SearchPosition {
  const causal = query.sortBy === 'causal';
  const m = (causal ? CAUSAL_POSITION : TIME_POSITION).exec(state.s);
  if (!m || !ARRIVAL.test(state.m)) {
    throw new InvalidCursor('cursor is malformed: pass back the `next` value of a previous page unchanged');
  }
  const [, first = '', second = '', third = ''] = m;
  return causal
    ? { sort: `${state.t}.${first}`, arrival: Number(second), id: third, snapshot: Number(state.m) }
    : { sort: state.t, arrival: Number(first), id: second, snapshot: Number(state.m) };
}

/** A position as the shared cursor format holds it: an instant in `t`, the rest in `s`. */
export function cursorFields(
  position: SearchPosition,
  query: EventQuery,
): { t: string; s: string; m: string } {
  const m = String(position.snapshot);
  if (query.sortBy !== 'causal') return { t: position.sort, s: `${position.arrival}:${position.id}`, m };
  return {
    t: position.sort.slice(0, 30),
    s: `${position.sort.slice(31)}:${position.arrival}:${position.id}`,
    m,
  };
}

/**
 * The filters of a query, or null when it can match nothing (an empty `kinds` or `services` list, a `q`
 * without a searchable word, a value longer than any indexed keyword). Every value is a plain term or
 * phrase: no query-string syntax, regular expression or wildcard is ever interpreted.
 */
export function queryFilters(query: EventQuery): estypes.QueryDslQueryContainer[] | null {
  const filters: estypes.QueryDslQueryContainer[] = [];
  for (const [field, values] of [
    ['kind', query.kinds],
    ['service', query.services],
  ] as const) {
    if (values === undefined) continue;
    const indexable = values.filter(isIndexable);
    if (indexable.length === 0) return null;
    filters.push({ terms: { [field]: indexable } });
  }
  for (const [field, value] of [
    ['service', query.service],
    ['host', query.host],
    ['level', query.level?.toLowerCase()],
    ['source', query.source],
    ['trace.traceId', query.traceId?.toLowerCase()],
  ] as const) {
    if (value === undefined) continue;
    if (!isIndexable(value)) return null;
    filters.push({ term: { [field]: { value } } });
  }
  if (query.from !== undefined || query.to !== undefined) {
    filters.push({ range: { 'tributary.time': timeRange(query.from, query.to) } });
  }
  if (query.q !== undefined) {
    const phrases = searchPhrases(query.q);
    if (phrases === null) return null;
    for (const phrase of phrases) filters.push({ match_phrase: { 'tributary.text': { query: phrase } } });
  }
  return filters;
}

/**
 * One page: `limit + 1` hits (the extra one tells whether there is a next page) in (time or order key,
 * arrival, id) order. The first page also asks for the highest arrival among matching events: the snapshot bound
 * that later pages keep to, so events written meanwhile never shift the pages.
 */
export function searchBody(
  query: EventQuery,
  filters: estypes.QueryDslQueryContainer[],
  position: SearchPosition | null,
): Omit<estypes.SearchRequest, 'index'> {
  const order = query.order;
  const bounded = position
    ? [...filters, { range: { 'tributary.arrival': { lte: position.snapshot } } }]
    : filters;
  return {
    size: query.limit + 1,
    track_total_hits: false,
    query: { bool: { filter: bounded } },
    sort: [
      { [sortField(query)]: { order, unmapped_type: 'keyword' } },
      { 'tributary.arrival': { order, unmapped_type: 'long' } },
      { id: { order, unmapped_type: 'keyword' } },
    ],
    ...(position ? { search_after: [position.sort, position.arrival, position.id] } : {}),
    ...(position ? {} : { aggs: { snapshot: { max: { field: 'tributary.arrival' } } } }),
  };
}

/** Normalized instants are 30 characters; longer bounds are cut without changing the comparison. */
const MAX_BOUND_CHARS = 64;

/**
 * `from <= time < to` in string order, as the SQLite store compares. A bound too long to be a term is cut
 * to its head: for values shorter than the head, `time >= bound` is `time > head` and `time < bound` is
 * `time <= head`.
 */
function timeRange(from: string | undefined, to: string | undefined): estypes.QueryDslTermRangeQuery {
  const range: estypes.QueryDslTermRangeQuery = {};
  if (from !== undefined) {
    if (from.length > MAX_BOUND_CHARS) range.gt = from.slice(0, MAX_BOUND_CHARS);
    else range.gte = from;
  }
  if (to !== undefined) {
    if (to.length > MAX_BOUND_CHARS) range.lte = to.slice(0, MAX_BOUND_CHARS);
    else range.lt = to;
  }
  return range;
}

/** Longer keywords are kept but not indexed (`ignore_above`), and Elasticsearch refuses such terms. */
function isIndexable(value: string): boolean {
  return value.length <= KEYWORD_MAX_CHARS;
}
