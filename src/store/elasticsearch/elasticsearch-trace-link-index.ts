import type { Client, estypes } from '@elastic/elasticsearch';
import { nowInstant } from '../../core/time.ts';
import { linkKey, type TraceLink } from '../../stages/link-traces/trace-link.ts';
import type { TraceLinkIndex } from '../../stages/link-traces/trace-link-index.ts';
import type { Retention } from '../event-store.ts';
import { BulkWriter, type BulkItem } from './bulk-writer.ts';
import { ConcurrencyLimit } from './concurrency-limit.ts';
import type { ElasticsearchStoreConfig } from './config.ts';
import { deleteDailyOlderThan } from './daily-index-retention.ts';
import { dayOf } from './index-names.ts';
import { documentId, termOf } from './index-terms.ts';
import { traceLinkIndexTemplate, LinkIndexTemplate } from './link-index-template.ts';
import { traceLinkIndexFor, traceLinkIndices, type DailyIndices } from './link-index-names.ts';
import { RefreshGate } from './refresh-gate.ts';
import { retryPolicyOf } from './retry-policy.ts';

/** Trace ids per search (a `terms` query), and hits per page. */
const IDS_PER_SEARCH = 1000;
const PAGE = 1000;

interface TraceLinkDocument {
  id: string;
  traces: string[];
  recordedAt: string;
  link: TraceLink;
}

export interface ElasticsearchTraceLinkIndexOptions {
  /** The recording clock (tests move it): it names the daily index and dates the link for retention. */
  now?: () => string;
}

/**
 * The distributed TraceLinkIndex, shared by every replica: daily indices `<prefix>-trace-links-YYYY.MM.DD`
 * by the day a link was recorded (link-index-names.ts), written with `_bulk` `create` under a digest of
 * the link key, so a link added again the same day is stored once; the same link recorded on two days
 * is two documents, returned once. `add` resolves when fsynced and never waits for a refresh;
 * `linksOf` refreshes first (refresh-gate.ts), so it sees every link acknowledged before it, on any
 * replica. Retention drops the links recorded before the cut-off, whole days at a time.
 */
export class ElasticsearchTraceLinkIndex implements TraceLinkIndex, Retention {
  private readonly writer: BulkWriter;
  private readonly template: LinkIndexTemplate;
  private readonly indices: DailyIndices;
  private readonly gate: RefreshGate;
  private readonly now: () => string;

  constructor(
    private readonly client: Client,
    private readonly config: ElasticsearchStoreConfig,
    options: ElasticsearchTraceLinkIndexOptions = {},
  ) {
    this.writer = new BulkWriter(client, new ConcurrencyLimit(config.bulkConcurrency), {
      bulkSize: config.bulkSize,
      bulkMaxBytes: config.bulkMaxBytes,
      refresh: config.refresh,
      ...retryPolicyOf(config),
    });
    this.template = new LinkIndexTemplate(client, config, traceLinkIndexTemplate);
    this.indices = traceLinkIndices(config.indexPrefix);
    this.gate = new RefreshGate(async () => {
      await client.indices.refresh({
        index: this.indices.pattern,
        ignore_unavailable: true,
        allow_no_indices: true,
      });
    });
    this.now = options.now ?? nowInstant;
  }

  /** Installs the index template (once; again after a failure). `add` calls it first. */
  init(): Promise<void> {
    return this.template.ensure();
  }

  async add(links: readonly TraceLink[]): Promise<void> {
    if (links.length === 0) return;
    await this.init();
    const recordedAt = this.now();
    const index = traceLinkIndexFor(this.config.indexPrefix, recordedAt);
    const items = new Map<string, BulkItem>();
    for (const link of links) {
      const id = documentId([linkKey(link)]);
      const document: TraceLinkDocument = {
        id,
        traces: [termOf(link.parent.traceId), termOf(link.child.traceId)],
        recordedAt,
        link,
      };
      items.set(id, { action: 'create', index, id, render: () => document });
    }
    await this.writer.write([...items.values()]);
  }

  async linksOf(traceIds: readonly string[]): Promise<TraceLink[]> {
    const wanted = new Set(traceIds);
    if (wanted.size === 0) return [];
    await this.gate.fresh();
    const unique = [...wanted];
    const out = new Map<string, TraceLink>();
    for (let i = 0; i < unique.length; i += IDS_PER_SEARCH) {
      const terms = [...new Set(unique.slice(i, i + IDS_PER_SEARCH).map(termOf))];
      for await (const link of this.search(terms)) {
        // A digest term may stand for another id (index-terms.ts): keep only what was asked for.
        if (wanted.has(link.parent.traceId) || wanted.has(link.child.traceId)) out.set(linkKey(link), link);
      }
    }
    return [...out.values()];
  }

  deleteOlderThan(instant: string): Promise<number> {
    return deleteDailyOlderThan(this.client, {
      indices: this.indices,
      cutoffDay: dayOf(instant),
      older: { range: { recordedAt: { lt: instant } } },
      sort: [{ recordedAt: 'asc' }, { id: 'asc' }],
    });
  }

  /** Every link under one of `terms`, page by page in `id` order (a link kept on two days may be cut). */
  private async *search(terms: string[]): AsyncGenerator<TraceLink> {
    let after: estypes.SortResults | undefined;
    for (;;) {
      const response = await this.client.search<Pick<TraceLinkDocument, 'link'>>({
        index: this.indices.pattern,
        ignore_unavailable: true,
        allow_no_indices: true,
        size: PAGE,
        track_total_hits: false,
        _source: ['link'],
        query: { bool: { filter: [{ terms: { traces: terms } }] } },
        sort: [{ id: 'asc' }],
        ...(after ? { search_after: after } : {}),
      });
      const hits = response.hits.hits;
      for (const hit of hits) if (hit._source?.link) yield hit._source.link;
      if (hits.length < PAGE) return;
      after = hits[hits.length - 1]?.sort;
    }
  }
}
