import type { Logger } from 'pino';
import type { ReadinessCheck } from '../api/routes/health.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { RejectionReader } from '../api/routes/rejections.ts';
import type { TributaryConfig } from '../config/schema.ts';
import type { Component } from '../core/lifecycle.ts';
import type { DeadLetterStore, EventStore, OrderKeyStore, Retention } from '../store/event-store.ts';
import type { SqliteDatabase } from '../store/sqlite/open-database.ts';
import { SqliteAuditLog } from '../store/sqlite/sqlite-audit-log.ts';
import { SqliteDeadLetterStore } from '../store/sqlite/sqlite-dead-letter-store.ts';
import { SqliteEventStore } from '../store/sqlite/sqlite-event-store.ts';
import type { CallEndIndex } from '../stages/link-traces/call-end-index.ts';
import { SqliteCallEndIndex } from '../stages/link-traces/sqlite-call-end-index.ts';
import { SqliteTraceLinkIndex } from '../stages/link-traces/sqlite-trace-link-index.ts';
import type { TraceLinkIndex } from '../stages/link-traces/trace-link-index.ts';

export interface StorageBackends {
  store: EventStore & Retention & OrderKeyStore;
  deadLetters: DeadLetterStore & RejectionReader;
  /** The audit trail lives with the events, so every replica appends to one chain. */
  audit: AuditLog;
  /** Trace links and call ends live with the events, so every replica follows every link. */
  linkIndex: TraceLinkIndex & Retention;
  callEnds: CallEndIndex & Retention;
  readiness: ReadinessCheck[];
  /** Started first, stopped last. */
  components: Component[];
  /** `elasticsearch` or `sqlite`, for the start-up log. */
  kind: string;
}

/** Elasticsearch when `elasticsearch.url` is set, else the embedded SQLite database. */
export async function buildStorage(
  config: TributaryConfig,
  db: SqliteDatabase,
  logger: Logger,
): Promise<StorageBackends> {
  const sqliteReady: ReadinessCheck = {
    name: 'sqlite',
    check: async () => ({ ok: db.open && (db.prepare('SELECT 1').pluck().get() as number) === 1 }),
  };
  if (!config.elasticsearch.url) {
    return {
      store: new SqliteEventStore(db),
      deadLetters: new SqliteDeadLetterStore(db),
      audit: new SqliteAuditLog(db),
      linkIndex: new SqliteTraceLinkIndex(db),
      callEnds: new SqliteCallEndIndex(db),
      readiness: [sqliteReady],
      components: [],
      kind: 'sqlite',
    };
  }
  // Loaded only in distributed mode: the Elasticsearch client is slow to import and unused otherwise.
  const [
    { createElasticsearchClient },
    { elasticsearchStoreConfigSchema },
    { ElasticsearchDeadLetterStore },
    { ElasticsearchEventStore },
    { checkElasticsearch },
    { ElasticsearchAuditLog },
    { ElasticsearchTraceLinkIndex },
    { ElasticsearchCallEndIndex },
  ] = await Promise.all([
    import('../store/elasticsearch/client.ts'),
    import('../store/elasticsearch/config.ts'),
    import('../store/elasticsearch/elasticsearch-dead-letter-store.ts'),
    import('../store/elasticsearch/elasticsearch-event-store.ts'),
    import('../store/elasticsearch/readiness.ts'),
    import('../store/elasticsearch/elasticsearch-audit-log.ts'),
    import('../store/elasticsearch/elasticsearch-trace-link-index.ts'),
    import('../store/elasticsearch/elasticsearch-call-end-index.ts'),
  ]);
  const esConfig = elasticsearchStoreConfigSchema.parse({
    ...config.elasticsearch,
    url: config.elasticsearch.url,
  });
  const client = createElasticsearchClient(esConfig);
  logger.info({ url: esConfig.url, indexPrefix: esConfig.indexPrefix }, 'events are stored in Elasticsearch');
  const store = new ElasticsearchEventStore(client, esConfig);
  return {
    store,
    deadLetters: new ElasticsearchDeadLetterStore(client, esConfig),
    audit: new ElasticsearchAuditLog(client, esConfig, logger),
    linkIndex: new ElasticsearchTraceLinkIndex(client, esConfig),
    callEnds: new ElasticsearchCallEndIndex(client, esConfig),
    readiness: [
      sqliteReady,
      {
        name: 'elasticsearch',
        check: () => checkElasticsearch(client),
      },
    ],
    components: [
      {
        name: 'elasticsearch-client',
        // Templates are installed up front when the cluster answers; if it does not yet, the store
        // installs them on its first write, and /readyz says the cluster is unreachable meanwhile.
        start: async () => {
          await store
            .init()
            .catch((err: unknown) => logger.warn({ err }, 'elasticsearch: templates not installed yet'));
        },
        shutdown: async () => {
          await client.close();
        },
      },
    ],
    kind: 'elasticsearch',
  };
}
