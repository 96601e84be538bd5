import type { Client, estypes } from '@elastic/elasticsearch';
import type { ElasticsearchStoreConfig } from './config.ts';
import { KEYWORD_MAX_CHARS, TEMPLATE_VERSION } from './index-template.ts';
import { retryPolicyOf, withRetries } from './retry-policy.ts';
import { ElasticsearchWriteError } from './write-error.ts';

/** The audit entries, one document per entry, `_id` = its seq. Never touched by retention. */
export function auditIndex(prefix: string): string {
  return `${prefix}-audit`;
}

/** One document (`_id` = `head`): the highest seq appended and its hash, as SQLite's `audit_head`. */
export function auditHeadIndex(prefix: string): string {
  return `${prefix}-audit-head`;
}

export const AUDIT_HEAD_ID = 'head';

const keyword = { type: 'keyword', ignore_above: KEYWORD_MAX_CHARS } as const;

/**
 * Both audit indices. `dynamic: false` and `detail` kept in `_source` only (`enabled: false`): whatever a
 * record carries, it cannot grow the mapping. `time` is a keyword, compared as text like SQLite's column.
 */
export function auditIndexTemplate(config: ElasticsearchStoreConfig): estypes.IndicesPutIndexTemplateRequest {
  return {
    name: `${config.indexPrefix}-audit`,
    index_patterns: [auditIndex(config.indexPrefix), auditHeadIndex(config.indexPrefix)],
    priority: 200,
    version: TEMPLATE_VERSION,
    _meta: { description: 'Tributary audit trail, hash-chained', managed_by: 'tributary' },
    template: {
      settings: {
        number_of_shards: 1,
        auto_expand_replicas: config.replicas,
        // An acknowledged append is fsynced: the chain never loses an entry a caller was told about.
        'translog.durability': 'request',
      },
      mappings: {
        dynamic: false,
        properties: {
          seq: { type: 'long' },
          time: keyword,
          actor: keyword,
          action: keyword,
          target: keyword,
          origin: keyword,
          detail: { type: 'object', enabled: false },
          prevHash: { type: 'keyword', index: false },
          hash: { type: 'keyword', index: false },
        },
      },
    },
  };
}

/** Installs the audit template once per process (again after a failure), before the first write. */
export class AuditIndexTemplate {
  private installed: Promise<void> | null = null;

  constructor(
    private readonly client: Client,
    private readonly config: ElasticsearchStoreConfig,
  ) {}

  ensure(): Promise<void> {
    this.installed ??= withRetries(retryPolicyOf(this.config), () =>
      this.client.indices.putIndexTemplate(auditIndexTemplate(this.config)),
    )
      .then(() => undefined)
      .catch((err: unknown) => {
        this.installed = null;
        throw new ElasticsearchWriteError(
          `could not install the audit index template: ${(err as Error).message}`,
          { cause: err },
        );
      });
    return this.installed;
  }
}
