import { Client } from '@elastic/elasticsearch';
import type { ElasticsearchStoreConfig } from './config.ts';

/**
 * The client the stores share. Its own retries are off (`maxRetries: 0`): the bulk writer retries with
 * backoff and knows which documents still need it; queries fail fast to the API caller.
 */
export function createElasticsearchClient(
  config: Pick<ElasticsearchStoreConfig, 'url' | 'requestTimeoutMs'>,
): Client {
  return new Client({
    node: config.url,
    maxRetries: 0,
    requestTimeout: config.requestTimeoutMs,
    compression: false,
    sniffOnStart: false,
  });
}
