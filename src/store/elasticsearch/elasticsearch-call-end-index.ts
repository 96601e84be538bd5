import type { Client } from '@elastic/elasticsearch';
import { unixMillis } from '../../core/time.ts';
import type { CallEnd } from '../../stages/link-traces/call-end.ts';
import type { CallEndIndex, CallEndQuery } from '../../stages/link-traces/call-end-index.ts';
import type { Retention } from '../event-store.ts';
import { BulkWriter, type BulkItem } from './bulk-writer.ts';
import { ConcurrencyLimit } from './concurrency-limit.ts';
import type { ElasticsearchStoreConfig } from './config.ts';
import { deleteDailyOlderThan } from './daily-index-retention.ts';
import { dayOf } from './index-names.ts';
import { documentId, termOf } from './index-terms.ts';
import { callEndIndexTemplate, LinkIndexTemplate } from './link-index-template.ts';
import { callEndIndexFor, callEndIndices, type DailyIndices } from './link-index-names.ts';
import { RefreshGate } from './refresh-gate.ts';
import { retryPolicyOf } from './retry-policy.ts';

/** Elasticsearch's default `index.max_result_window`: `near` returns at most this many ends. */
export const MAX_ENDS_PER_QUERY = 10_000;

interface CallEndDocument {
  id: string;
  key: string;
  system: string;
  role: string;
  startMs: number;
  /** The span (trace and span id): the field hits are collapsed on. */
  span: string;
  spanId: string;
  end: CallEnd;
}

export interface ElasticsearchCallEndIndexOptions {
  /** Wall clock for choosing a daily vs the outlier index (tests move it). */
  nowMs?: () => number;
}

/**
 * The distributed CallEndIndex, shared by every replica: daily indices `<prefix>-call-ends-YYYY.MM.DD`
 * by the day a span started (far-off days in `-outliers`, link-index-names.ts), written with `_bulk`
 * `create` under a digest of (key, trace, span), so an end added again is stored once. `near` is one
 * search collapsed on the span (an end under several keys, or in two indices, is one hit), after a
 * refresh (refresh-gate.ts): it sees every end acknowledged before it, on any replica; `add` never
 * waits for a refresh. Retention deletes the ends that started before the cut-off, as SQLite does.
 */
export class ElasticsearchCallEndIndex implements CallEndIndex, Retention {
  private readonly writer: BulkWriter;
  private readonly template: LinkIndexTemplate;
  private readonly indices: DailyIndices;
  private readonly gate: RefreshGate;
  private readonly nowMs: () => number;

  constructor(
    private readonly client: Client,
    private readonly config: ElasticsearchStoreConfig,
    options: ElasticsearchCallEndIndexOptions = {},
  ) {
    this.writer = new BulkWriter(client, new ConcurrencyLimit(config.bulkConcurrency), {
      bulkSize: config.bulkSize,
      bulkMaxBytes: config.bulkMaxBytes,
      refresh: config.refresh,
      ...retryPolicyOf(config),
    });
    this.template = new LinkIndexTemplate(client, config, callEndIndexTemplate);
    this.indices = callEndIndices(config.indexPrefix);
    this.gate = new RefreshGate(async () => {
      await client.indices.refresh({
        index: this.indices.pattern,
        ignore_unavailable: true,
        allow_no_indices: true,
      });
    });
    this.nowMs = options.nowMs ?? Date.now;
  }

  /** Installs the index template (once; again after a failure). `add` calls it first. */
  init(): Promise<void> {
    return this.template.ensure();
  }

  async add(ends: readonly CallEnd[]): Promise<void> {
    if (ends.length === 0) return;
    await this.init();
    const now = this.nowMs();
    const items = new Map<string, BulkItem>();
    for (const end of ends) {
      const id = documentId([end.key, end.traceId, end.spanId]);
      const document: CallEndDocument = {
        id,
        key: termOf(end.key),
        system: termOf(end.system),
        role: termOf(end.role),
        startMs: end.startMs,
        span: termOf(JSON.stringify([end.traceId, end.spanId])),
        spanId: termOf(end.spanId),
        end: { ...end },
      };
      const index = callEndIndexFor(this.config.indexPrefix, end.startMs, now, this.config);
      items.set(id, { action: 'create', index, id, render: () => document });
    }
    await this.writer.write([...items.values()]);
  }

  async near(query: CallEndQuery): Promise<CallEnd[]> {
    const keys = new Set(query.keys);
    const size = Math.min(Math.floor(query.limit), MAX_ENDS_PER_QUERY);
    if (keys.size === 0 || !(size > 0)) return [];
    await this.gate.fresh();
    const response = await this.client.search<Pick<CallEndDocument, 'end'>>({
      index: this.indices.pattern,
      ignore_unavailable: true,
      allow_no_indices: true,
      size,
      track_total_hits: false,
      _source: ['end'],
      query: {
        bool: {
          filter: [
            { terms: { key: [...new Set([...keys].map(termOf))] } },
            { term: { system: { value: termOf(query.system) } } },
            { term: { role: { value: termOf(query.role) } } },
            { range: { startMs: { gte: query.fromMs, lte: query.toMs } } },
          ],
        },
      },
      collapse: { field: 'span' },
      sort: [{ startMs: 'asc' }, { spanId: 'asc' }],
    });
    const out = new Map<string, CallEnd>();
    for (const hit of response.hits.hits) {
      const end = hit._source?.end;
      // A digest term may stand for another value (index-terms.ts): keep only what was asked for.
      if (!end || !keys.has(end.key) || end.system !== query.system || end.role !== query.role) continue;
      if (!(end.startMs >= query.fromMs && end.startMs <= query.toMs)) continue;
      out.set(JSON.stringify([end.traceId, end.spanId]), end);
    }
    return [...out.values()]
      .sort((a, b) => a.startMs - b.startMs || a.spanId.localeCompare(b.spanId))
      .slice(0, query.limit);
  }

  deleteOlderThan(instant: string): Promise<number> {
    return deleteDailyOlderThan(this.client, {
      indices: this.indices,
      cutoffDay: dayOf(instant),
      older: { range: { startMs: { lt: unixMillis(instant) } } },
      sort: [{ startMs: 'asc' }, { id: 'asc' }],
    });
  }
}
