import type { Client, estypes } from '@elastic/elasticsearch';
import type { ElasticsearchStoreConfig } from './config.ts';
import { KEYWORD_MAX_CHARS, TEMPLATE_VERSION } from './index-template.ts';
import { callEndIndices, traceLinkIndices } from './link-index-names.ts';
import { retryPolicyOf, withRetries } from './retry-policy.ts';
import { ElasticsearchWriteError } from './write-error.ts';

const keyword = { type: 'keyword', ignore_above: KEYWORD_MAX_CHARS } as const;
/** Kept in `_source`, never indexed: whatever a link or an end carries cannot grow the mapping. */
const kept = { type: 'object', enabled: false } as const;

function settings(config: ElasticsearchStoreConfig): estypes.IndicesIndexSettings {
  return {
    number_of_shards: 1,
    auto_expand_replicas: config.replicas,
    // An acknowledged `add` is fsynced, as an acknowledged append of events is.
    'translog.durability': 'request',
  };
}

/**
 * Trace links (`<prefix>-trace-links-*`): `traces` holds both trace ids (as index-terms.ts `termOf`),
 * `id` the `_id` (a digest of the link key, the order of pages), `recordedAt` the instant for retention.
 */
export function traceLinkIndexTemplate(
  config: ElasticsearchStoreConfig,
): estypes.IndicesPutIndexTemplateRequest {
  return {
    name: `${config.indexPrefix}-trace-links`,
    index_patterns: [traceLinkIndices(config.indexPrefix).pattern],
    priority: 200,
    version: TEMPLATE_VERSION,
    _meta: { description: 'Tributary trace links, by day recorded', managed_by: 'tributary' },
    template: {
      settings: settings(config),
      mappings: {
        dynamic: false,
        properties: { id: keyword, traces: keyword, recordedAt: keyword, link: kept },
      },
    },
  };
}

/**
 * Call ends (`<prefix>-call-ends-*`), searched by (key, system, role, startMs) and collapsed on `span`
 * (one hit per span indexed under several keys or in two indices).
 */
export function callEndIndexTemplate(
  config: ElasticsearchStoreConfig,
): estypes.IndicesPutIndexTemplateRequest {
  return {
    name: `${config.indexPrefix}-call-ends`,
    index_patterns: [callEndIndices(config.indexPrefix).pattern],
    priority: 200,
    version: TEMPLATE_VERSION,
    _meta: {
      description: 'Tributary call ends for heuristic joins, by day started',
      managed_by: 'tributary',
    },
    template: {
      settings: settings(config),
      mappings: {
        dynamic: false,
        properties: {
          id: keyword,
          key: keyword,
          system: keyword,
          role: keyword,
          startMs: { type: 'double' },
          span: keyword,
          spanId: keyword,
          end: kept,
        },
      },
    },
  };
}

/** Installs one template once per process (again after a failure), before the first write. */
export class LinkIndexTemplate {
  private installed: Promise<void> | null = null;

  constructor(
    private readonly client: Client,
    private readonly config: ElasticsearchStoreConfig,
    private readonly template: (config: ElasticsearchStoreConfig) => estypes.IndicesPutIndexTemplateRequest,
  ) {}

  ensure(): Promise<void> {
    const request = this.template(this.config);
    this.installed ??= withRetries(retryPolicyOf(this.config), () =>
      this.client.indices.putIndexTemplate(request),
    )
      .then(() => undefined)
      .catch((err: unknown) => {
        this.installed = null;
        throw new ElasticsearchWriteError(
          `could not install the index template ${request.name}: ${(err as Error).message}`,
          {
            cause: err,
          },
        );
      });
    return this.installed;
  }
}
