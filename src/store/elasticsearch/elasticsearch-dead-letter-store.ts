import type { Client } from '@elastic/elasticsearch';
import type { Rejection } from '../../core/event.ts';
import { nowInstant } from '../../core/time.ts';
import type { DeadLetterStore, StoredRejection } from '../event-store.ts';
import { processArrivalClock, type ArrivalClock } from './arrival-clock.ts';
import { BulkWriter, type BulkItem } from './bulk-writer.ts';
import { ConcurrencyLimit } from './concurrency-limit.ts';
import { retryPolicyOf } from './retry-policy.ts';
import type { ElasticsearchStoreConfig } from './config.ts';
import { rejectionIndex } from './index-names.ts';
import { IndexTemplates } from './index-template.ts';

/** Raw records are kept up to this size, as in the SQLite store; `rawBytes` tells the original size. */
export const MAX_KEPT_RAW_BYTES = 64 * 1024;
const MAX_DETAIL_CHARS = 2000;

interface RejectionDocument extends StoredRejection {
  arrival: number;
}

/**
 * Dead letters in `<prefix>-rejections`, with the SQLite store's limits: the raw record is kept up to
 * 64 KiB (its full size in `rawBytes`), the detail up to 2000 characters; `list` sees what `keep`
 * stored. Documents get random ids: two identical rejections are two events worth counting.
 */
export class ElasticsearchDeadLetterStore implements DeadLetterStore {
  private readonly writer: BulkWriter;
  private readonly templates: IndexTemplates;

  constructor(
    private readonly client: Client,
    private readonly config: ElasticsearchStoreConfig,
    private readonly arrivals: ArrivalClock = processArrivalClock,
  ) {
    this.writer = new BulkWriter(client, new ConcurrencyLimit(1), {
      bulkSize: config.bulkSize,
      bulkMaxBytes: config.bulkMaxBytes,
      // Like the SQLite store, `list` sees what `keep` stored: rejections are rare, waiting for the next
      // refresh (a second at most) costs little.
      refresh: config.refresh === true ? true : 'wait_for',
      ...retryPolicyOf(config),
    });
    this.templates = new IndexTemplates(client, config);
  }

  async keep(rejections: readonly Rejection[]): Promise<void> {
    if (rejections.length === 0) return;
    await this.templates.ensure();
    const receivedAt = nowInstant();
    const index = rejectionIndex(this.config.indexPrefix);
    await this.writer.write(
      rejections.map((r): BulkItem => {
        const document = toDocument(r, receivedAt);
        return {
          action: 'create',
          index,
          id: crypto.randomUUID(),
          render: () => ({ ...document, arrival: this.arrivals.next() }),
        };
      }),
    );
  }

  /** Newest first. */
  async list(options: { source?: string; limit: number }): Promise<StoredRejection[]> {
    const response = await this.client.search<RejectionDocument>({
      index: rejectionIndex(this.config.indexPrefix),
      ignore_unavailable: true,
      allow_no_indices: true,
      size: options.limit,
      track_total_hits: false,
      query: {
        bool: {
          filter: options.source === undefined ? [] : [{ term: { source: { value: options.source } } }],
        },
      },
      sort: [{ arrival: { order: 'desc', unmapped_type: 'long' } }],
    });
    return response.hits.hits.flatMap((hit) => {
      if (!hit._source) return [];
      const { arrival: _arrival, ...stored } = hit._source;
      return [stored];
    });
  }
}

function toDocument(r: Rejection, receivedAt: string): StoredRejection {
  const rawBytes = Buffer.byteLength(r.raw);
  return {
    receivedAt,
    source: r.source,
    reason: r.reason,
    detail: r.detail.slice(0, MAX_DETAIL_CHARS),
    location: r.location,
    raw: rawBytes > MAX_KEPT_RAW_BYTES ? truncateUtf8(r.raw, MAX_KEPT_RAW_BYTES) : r.raw,
    rawBytes,
  };
}

function truncateUtf8(text: string, maxBytes: number): string {
  return Buffer.from(text)
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}
