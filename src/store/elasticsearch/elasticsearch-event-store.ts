import type { Client } from '@elastic/elasticsearch';
import type { TributaryEvent } from '../../core/event.ts';
import { decodeCursor, encodeCursor, filterFingerprint } from '../cursor.ts';
import {
  ORDER_KEY_PATTERN,
  type AppendResult,
  type EventOrdering,
  type EventQuery,
  type EventStore,
  type OrderKeyAssignment,
  type OrderKeyStore,
  type Page,
  type Retention,
} from '../event-store.ts';
import { processArrivalClock, type ArrivalClock } from './arrival-clock.ts';
import { BulkWriter, type BulkItem } from './bulk-writer.ts';
import { ConcurrencyLimit } from './concurrency-limit.ts';
import type { ElasticsearchStoreConfig } from './config.ts';
import { fromSource, toDegradedDocument, toDocument } from './event-document.ts';
import { EventLocator } from './event-locator.ts';
import { cleanOrdering, orderingFor } from './event-ordering.ts';
import { deleteEventsOlderThan } from './event-retention.ts';
import { cursorFields, positionFromCursor, queryFilters, searchBody } from './event-search.ts';
import { eventIndexFor, eventIndexPattern } from './index-names.ts';
import { IndexTemplates } from './index-template.ts';
import { retryPolicyOf } from './retry-policy.ts';

export interface ElasticsearchEventStoreOptions {
  /** Wall clock for choosing daily vs outlier index (tests move it). */
  nowMs?: () => number;
  arrivalClock?: ArrivalClock;
}

/**
 * The distributed event store: daily indices `<prefix>-events-YYYY.MM.DD` (index-names.ts) written with
 * `_bulk` `create` under the event id, so replays store nothing twice (bulk-writer.ts).
 * `append` resolves once every event is stored, i.e. fsynced to the translog; it rejects after bounded
 * retries when Elasticsearch is down or overloaded, and the next call simply tries again.
 * Pages follow `search_after` under a snapshot bound on arrival (event-search.ts), in the same cursor
 * format as the SQLite store. The causal ordering lives beside each event (`tributary.order`);
 * `setOrderKeys` updates it in place.
 */
export class ElasticsearchEventStore implements EventStore, Retention, OrderKeyStore {
  private readonly writer: BulkWriter;
  private readonly nowMs: () => number;
  private readonly arrivals: ArrivalClock;
  private readonly templates: IndexTemplates;
  private readonly locator: EventLocator;

  constructor(
    private readonly client: Client,
    private readonly config: ElasticsearchStoreConfig,
    options: ElasticsearchEventStoreOptions = {},
  ) {
    this.writer = new BulkWriter(client, new ConcurrencyLimit(config.bulkConcurrency), {
      bulkSize: config.bulkSize,
      bulkMaxBytes: config.bulkMaxBytes,
      refresh: config.refresh,
      ...retryPolicyOf(config),
    });
    this.templates = new IndexTemplates(client, config);
    this.locator = new EventLocator(client, config.indexPrefix);
    this.nowMs = options.nowMs ?? Date.now;
    this.arrivals = options.arrivalClock ?? processArrivalClock;
  }

  /** Installs the index templates (once; again after a failure). `append` calls it first. */
  init(): Promise<void> {
    return this.templates.ensure();
  }

  async append(
    events: readonly TributaryEvent[],
    orderings?: ReadonlyMap<string, EventOrdering>,
  ): Promise<AppendResult> {
    if (events.length === 0) return { stored: 0 };
    await this.init();
    const now = this.nowMs();
    const items = events.map((event): BulkItem => {
      const order = orderingFor(event, orderings);
      return {
        action: 'create',
        index: eventIndexFor(this.config.indexPrefix, event.time, now, this.config),
        id: event.id,
        render: (degraded) =>
          degraded
            ? toDegradedDocument(event, this.arrivals.next(), order)
            : toDocument(event, this.arrivals.next(), order),
      };
    });
    const { applied } = await this.writer.write(items);
    // Created or already there (409): either way the event is in that index now.
    for (const item of items) this.locator.remember(item.id, item.index);
    return { stored: applied };
  }

  async setOrderKeys(assignments: readonly OrderKeyAssignment[]): Promise<number> {
    const valid = assignments.filter((a) => ORDER_KEY_PATTERN.test(a.key));
    if (valid.length === 0) return 0;
    const indices = await this.locator.locate(valid.map((a) => a.id));
    const items = valid.flatMap((assignment): BulkItem[] => {
      const index = indices.get(assignment.id);
      if (index === undefined) return [];
      const order = cleanOrdering(assignment);
      return [
        { action: 'update', index, id: assignment.id, render: () => ({ doc: { tributary: { order } } }) },
      ];
    });
    return (await this.writer.write(items)).applied;
  }

  async query(query: EventQuery): Promise<Page<TributaryEvent>> {
    const position =
      query.cursor === undefined ? null : positionFromCursor(decodeCursor(query.cursor, query), query);
    const filters = queryFilters(query);
    if (filters === null) return { items: [], next: null };
    const response = await this.client.search({
      index: eventIndexPattern(this.config.indexPrefix),
      ignore_unavailable: true,
      allow_no_indices: true,
      ...searchBody(query, filters, position),
    });
    const hits = response.hits.hits;
    const page = hits.slice(0, query.limit);
    const last = page[page.length - 1];
    let next: string | null = null;
    if (hits.length > query.limit && last?.sort) {
      const [sort, arrival, id] = last.sort as [string, number, string];
      const aggregated = (response.aggregations?.snapshot as { value?: number | null } | undefined)?.value;
      const snapshot = position?.snapshot ?? aggregated ?? arrival;
      next = encodeCursor({
        ...cursorFields({ sort, arrival, id, snapshot }, query),
        f: filterFingerprint(query),
      });
    }
    const read = page.map((hit) => fromSource(hit._source));
    const items = read.map((r) => r.event);
    if (query.sortBy !== 'causal') return { items, next };
    return { items, next, orderings: Object.fromEntries(read.map((r) => [r.event.id, r.ordering])) };
  }

  deleteOlderThan(instant: string): Promise<number> {
    return deleteEventsOlderThan(this.client, this.config.indexPrefix, instant);
  }

  /** Makes every event appended so far visible to `query` (tests, benchmarks, before a handover). */
  async refresh(): Promise<void> {
    await this.client.indices.refresh({
      index: eventIndexPattern(this.config.indexPrefix),
      ignore_unavailable: true,
      allow_no_indices: true,
    });
  }
}
