import { randomBytes } from 'node:crypto';
import { describe } from 'node:test';
import { createElasticsearchClient } from '../../src/store/elasticsearch/client.ts';
import { parseElasticsearchStoreConfig } from '../../src/store/elasticsearch/config.ts';
import { ElasticsearchEventStore } from '../../src/store/elasticsearch/elasticsearch-event-store.ts';
import { requireServer } from '../support/servers.ts';
import { eventStoreConformance } from './event-store.conformance.ts';

const server = requireServer('elasticsearch');
const run = randomBytes(4).toString('hex');
let opened = 0;

describe('Elasticsearch event store', { skip: server.skip }, () => {
  eventStoreConformance('Elasticsearch', async () => {
    opened += 1;
    // A fresh index prefix per test: an empty store, and nothing shared with other runs.
    const config = parseElasticsearchStoreConfig({
      url: server.url as string,
      indexPrefix: `trib-test-${run}-${opened}`,
    });
    const client = createElasticsearchClient(config);
    const store = new ElasticsearchEventStore(client, config);
    return {
      store,
      settle: () => store.refresh(),
      close: async () => {
        await dropPrefix(client, config.indexPrefix);
        await client.close();
      },
    };
  });
});

async function dropPrefix(
  client: ReturnType<typeof createElasticsearchClient>,
  prefix: string,
): Promise<void> {
  const rows = await client.cat.indices({ index: `${prefix}-*`, format: 'json', h: 'index' });
  const names = rows.flatMap((row) => (row.index ? [row.index] : []));
  if (names.length > 0) await client.indices.delete({ index: names, ignore_unavailable: true });
  await client.indices.deleteIndexTemplate({ name: `${prefix}-*` }, { ignore: [404] });
}
