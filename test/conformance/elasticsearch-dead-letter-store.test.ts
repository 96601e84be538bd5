import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@elastic/elasticsearch';
import type { Rejection } from '../../src/core/event.ts';
import type { StoredRejection } from '../../src/store/event-store.ts';
import { createElasticsearchClient } from '../../src/store/elasticsearch/client.ts';
import { parseElasticsearchStoreConfig } from '../../src/store/elasticsearch/config.ts';
import {
  ElasticsearchDeadLetterStore,
  MAX_KEPT_RAW_BYTES,
} from '../../src/store/elasticsearch/elasticsearch-dead-letter-store.ts';
import { openDatabase, type SqliteDatabase } from '../../src/store/sqlite/open-database.ts';
import { SqliteDeadLetterStore } from '../../src/store/sqlite/sqlite-dead-letter-store.ts';
import { requireServer } from '../support/servers.ts';

const server = requireServer('elasticsearch');
const prefix = `trib-test-${randomBytes(4).toString('hex')}-dlq`;

const rejection = (overrides: Partial<Rejection>): Rejection => ({
  source: 'logstash',
  reason: 'invalid_json',
  detail: 'line 1: Unexpected token',
  location: 'line 1',
  raw: '{not json',
  ...overrides,
});

describe('Elasticsearch dead-letter store', { skip: server.skip }, () => {
  let client: Client;
  let store: ElasticsearchDeadLetterStore;
  let db: SqliteDatabase;
  let sqlite: SqliteDeadLetterStore;

  before(() => {
    const config = parseElasticsearchStoreConfig({ url: server.url as string, indexPrefix: prefix });
    client = createElasticsearchClient(config);
    store = new ElasticsearchDeadLetterStore(client, config);
    db = openDatabase(':memory:');
    sqlite = new SqliteDeadLetterStore(db);
  });
  after(async () => {
    db.close();
    await client.indices.delete({ index: `${prefix}-rejections` }, { ignore: [404] });
    await client.indices.deleteIndexTemplate({ name: `${prefix}-*` }, { ignore: [404] });
    await client.close();
  });

  it('keeps rejections like the SQLite store: listed at once, newest first, by source, raw cut at 64 KiB', async () => {
    const batches: Rejection[][] = [
      [
        rejection({ raw: 'é'.repeat(40_000), detail: 'd'.repeat(5000) }),
        rejection({ source: 'nagios', reason: 'bad_perfdata', location: null, raw: 'load=abc;;;' }),
      ],
      [rejection({ raw: '{"query":{"match_all":{}}}', location: 'index 3' }), rejection({ source: 'otlp' })],
    ];
    for (const batch of batches) {
      await store.keep(batch);
      await sqlite.keep(batch);
    }
    await store.keep([]);
    const withoutTime = (list: StoredRejection[]): Omit<StoredRejection, 'receivedAt'>[] =>
      list.map(({ receivedAt: _receivedAt, ...rest }) => rest);
    for (const options of [
      { limit: 10 },
      { limit: 2 },
      { source: 'logstash', limit: 10 },
      { source: '*', limit: 10 },
    ]) {
      assert.deepEqual(
        withoutTime(await store.list(options)),
        withoutTime(await sqlite.list(options)),
        JSON.stringify(options),
      );
    }
    const [big] = (await store.list({ source: 'logstash', limit: 10 })).slice(-1);
    assert.equal(big?.rawBytes, 80_000);
    assert.ok(Buffer.byteLength(big?.raw ?? '') <= MAX_KEPT_RAW_BYTES);
    assert.equal(big?.raw, 'é'.repeat(MAX_KEPT_RAW_BYTES / 2));
    assert.equal(big?.detail.length, 2000);
    assert.match(big?.receivedAt ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/);
  });
});
