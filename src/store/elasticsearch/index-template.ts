import type { Client, estypes } from '@elastic/elasticsearch';
import type { ElasticsearchStoreConfig } from './config.ts';
import { eventIndexPattern, rejectionIndex } from './index-names.ts';
import { retryPolicyOf, withRetries } from './retry-policy.ts';
import { ElasticsearchWriteError } from './write-error.ts';

/** Bumped whenever the mappings change; new daily indices get the new version. */
export const TEMPLATE_VERSION = 2;

/** Keyword values longer than this are kept in `_source` but not indexed (Lucene's term limit is 32 KiB). */
export const KEYWORD_MAX_CHARS = 8191;

const keyword = { type: 'keyword', ignore_above: KEYWORD_MAX_CHARS } as const;
const nanos = { type: 'date_nanos', ignore_malformed: true } as const;
const double = { type: 'double', ignore_malformed: true } as const;
/** Free-form maps: every leaf is a keyword, and no key can add a field to the mapping. */
const flattened = { type: 'flattened', ignore_above: KEYWORD_MAX_CHARS } as const;

/**
 * Mappings of the event indices. `dynamic: false`: a field not listed here is kept in `_source` (and
 * returned by queries) but never indexed, so hostile keys cannot explode the mapping. `time` is
 * `date_nanos` for Kibana; ordering and ranges use the keyword copy `tributary.time`, the causal order
 * `tributary.order.key` (see event-document.ts). `message` is analysed with `standard` for Kibana users; the API's `q` searches
 * `tributary.text`, tokenized like SQLite's FTS5 (search-text.ts).
 */
export const eventMappings: estypes.MappingTypeMapping = {
  dynamic: false,
  properties: {
    id: keyword,
    kind: keyword,
    source: keyword,
    service: keyword,
    host: keyword,
    container: keyword,
    level: keyword,
    sourceKey: keyword,
    sequence: keyword,
    time: nanos,
    timestamp: keyword,
    message: { type: 'text', analyzer: 'standard' },
    trace: { properties: { traceId: keyword, spanId: keyword, parentSpanId: keyword } },
    attributes: flattened,
    // Per-kind fields that dashboards filter or chart on.
    name: keyword,
    value: double,
    labels: flattened,
    metricType: keyword,
    spanKind: keyword,
    endTime: nanos,
    durationMs: double,
    status: keyword,
    checkHost: keyword,
    checkService: keyword,
    stateType: keyword,
    annotations: flattened,
    endsAt: nanos,
    tributary: {
      properties: {
        arrival: { type: 'long' },
        time: keyword,
        text: { type: 'text', analyzer: 'whitespace', norms: false },
        order: {
          properties: {
            key: keyword,
            offsetMs: double,
            errorMs: double,
            late: { type: 'boolean' },
            forced: { type: 'boolean' },
            final: { type: 'boolean' },
          },
        },
        // `event` (degraded documents only) is deliberately not mapped: kept, never indexed.
      },
    },
  },
};

/**
 * The composable template of the daily event indices (`PUT _index_template/<prefix>-events`).
 * `translog.durability: request` (the default, stated here because `append` relies on it): a bulk is
 * acknowledged only after its translog is fsynced, so a resolved append survives a crash of the node.
 *
 * On a full distribution (with ILM), retention can move to the cluster: create a policy with only a
 * delete phase (`min_age` = the retention period), add `index.lifecycle.name: <policy>` and
 * `index.lifecycle.parse_origination_date: true` to these settings (the `-YYYY.MM.DD` suffix then dates
 * each index by its events' day rather than its creation), and stop calling `deleteOlderThan` except for
 * the outlier index. Keep daily indices named by event time rather than rollover or data streams: a
 * rolled-over write index would accept a replayed event a second time, as `_id` is unique per index.
 */
export function eventIndexTemplate(config: ElasticsearchStoreConfig): estypes.IndicesPutIndexTemplateRequest {
  return {
    name: `${config.indexPrefix}-events`,
    index_patterns: [eventIndexPattern(config.indexPrefix)],
    priority: 200,
    version: TEMPLATE_VERSION,
    _meta: { description: 'Tributary events, one index per day of event time', managed_by: 'tributary' },
    template: {
      settings: {
        number_of_shards: config.shards,
        auto_expand_replicas: config.replicas,
        'translog.durability': 'request',
      },
      mappings: eventMappings,
    },
  };
}

/** The dead-letter index: filter by source, order by arrival; the raw record is kept, not indexed. */
export function rejectionIndexTemplate(
  config: ElasticsearchStoreConfig,
): estypes.IndicesPutIndexTemplateRequest {
  return {
    name: `${config.indexPrefix}-rejections`,
    index_patterns: [rejectionIndex(config.indexPrefix)],
    priority: 200,
    version: TEMPLATE_VERSION,
    _meta: { description: 'Tributary dead letters: refused input with its reason', managed_by: 'tributary' },
    template: {
      settings: {
        number_of_shards: 1,
        auto_expand_replicas: config.replicas,
        'translog.durability': 'request',
      },
      mappings: {
        dynamic: false,
        properties: {
          receivedAt: keyword,
          arrival: { type: 'long' },
          source: keyword,
          reason: keyword,
          location: keyword,
          detail: { type: 'text', analyzer: 'standard' },
          rawBytes: { type: 'long' },
          // `raw` is deliberately not mapped: kept in `_source` (64 KiB at most), never indexed.
        },
      },
    },
  };
}

/**
 * Installs (or updates) both templates before the first write, with the write retries; once per
 * process unless it failed. Existing indices keep their mappings; new daily indices get the new ones.
 */
export class IndexTemplates {
  private installed: Promise<void> | null = null;

  constructor(
    private readonly client: Client,
    private readonly config: ElasticsearchStoreConfig,
  ) {}

  ensure(): Promise<void> {
    this.installed ??= this.install().catch((err: unknown) => {
      this.installed = null;
      throw new ElasticsearchWriteError(`could not install the index templates: ${(err as Error).message}`, {
        cause: err,
      });
    });
    return this.installed;
  }

  private async install(): Promise<void> {
    const policy = retryPolicyOf(this.config);
    await withRetries(policy, () => this.client.indices.putIndexTemplate(eventIndexTemplate(this.config)));
    await withRetries(policy, () =>
      this.client.indices.putIndexTemplate(rejectionIndexTemplate(this.config)),
    );
  }
}
