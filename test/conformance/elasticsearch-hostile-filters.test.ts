import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@elastic/elasticsearch';
import { encodeCursor, filterFingerprint } from '../../src/store/cursor.ts';
import { InvalidCursor, type EventQuery } from '../../src/store/event-store.ts';
import { createElasticsearchClient } from '../../src/store/elasticsearch/client.ts';
import { parseElasticsearchStoreConfig } from '../../src/store/elasticsearch/config.ts';
import { ElasticsearchEventStore } from '../../src/store/elasticsearch/elasticsearch-event-store.ts';
import { openDatabase, type SqliteDatabase } from '../../src/store/sqlite/open-database.ts';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { instantAt, makeLog } from '../support/events.ts';
import { requireServer } from '../support/servers.ts';

const server = requireServer('elasticsearch');
const prefix = `trib-test-${randomBytes(4).toString('hex')}-hostile`;

const HOSTILE = [
  '*',
  '?',
  '.*',
  '/.*/',
  'check*',
  'check?ut',
  'checkout OR 1=1',
  '" OR ""="',
  '{"query":{"match_all":{}}}',
  '{"bool":{"must_not":[]}}',
  '\\',
  '\u0000',
  '(((((',
  'x'.repeat(100_000),
];

const MESSAGES = [
  'foo_bar baz',
  "don't stop",
  'café au lait',
  'x3.14y',
  'Straße ÆON',
  'naïve_Über',
  '東京 タワー',
  'ERROR: Connection REFUSED (upstream=payments) after 3.5s',
  `${'a'.repeat(300)} tail`,
  'connection established',
];

const SEARCHES = [
  'foo',
  'bar',
  'foo_bar',
  'bar foo',
  'don',
  't',
  'cafe',
  'CAFÉ',
  '14y',
  '3',
  'strasse',
  'straße',
  'æon',
  'uber',
  'naive',
  '東京',
  'タワー',
  'connection refused',
  'upstream payments',
  'payments upstream',
  'a'.repeat(300),
  'a'.repeat(255),
  '___',
  'connection -refused',
  'connection*',
  'NEAR(connection refused)',
  ...HOSTILE,
];

describe('Elasticsearch store with hostile filters', { skip: server.skip }, () => {
  let client: Client;
  let store: ElasticsearchEventStore;
  let db: SqliteDatabase;
  let sqlite: SqliteEventStore;
  const events = [
    makeLog({ time: instantAt(1), service: 'checkout', host: 'web-1', level: 'error' }),
    makeLog({ time: instantAt(2), service: 'payments', host: 'web-2', level: 'info' }),
    ...MESSAGES.map((message, i) =>
      makeLog({ time: instantAt(10 + i), message, service: 'search', host: 'web-9', level: 'warn' }),
    ),
  ];
  const ids = async (
    s: ElasticsearchEventStore | SqliteEventStore,
    query: Partial<EventQuery>,
  ): Promise<string[]> => (await s.query({ limit: 1000, order: 'asc', ...query })).items.map((e) => e.id);

  before(async () => {
    const config = parseElasticsearchStoreConfig({ url: server.url as string, indexPrefix: prefix });
    client = createElasticsearchClient(config);
    store = new ElasticsearchEventStore(client, config);
    await store.append(events);
    await store.refresh();
    db = openDatabase(':memory:');
    sqlite = new SqliteEventStore(db);
    await sqlite.append(events);
  });
  after(async () => {
    db.close();
    const rows = await client.cat.indices({ index: `${prefix}-*`, format: 'json', h: 'index' });
    const names = rows.flatMap((row) => (row.index ? [row.index] : []));
    if (names.length > 0) await client.indices.delete({ index: names });
    await client.indices.deleteIndexTemplate({ name: `${prefix}-*` }, { ignore: [404] });
    await client.close();
  });

  it('treats query syntax, wildcards and regular expressions in filters as plain values', async () => {
    assert.deepEqual(await ids(store, { service: 'checkout', host: 'web-1' }), [events[0]?.id]);
    for (const value of HOSTILE) {
      const label = value.slice(0, 30);
      for (const filter of ['service', 'host', 'level', 'source', 'traceId'] as const) {
        assert.deepEqual(await ids(store, { [filter]: value }), [], `${filter}=${label}`);
      }
      assert.deepEqual(await ids(store, { services: [value, 'x'] }), [], `services=${label}`);
      for (const bound of [{ from: value }, { to: value }, { from: value, to: value }]) {
        assert.deepEqual(
          await ids(store, bound),
          await ids(sqlite, bound),
          `${JSON.stringify(bound).slice(0, 40)}`,
        );
      }
    }
  });

  it('finds exactly what the SQLite store finds for every q', async () => {
    for (const q of SEARCHES) {
      assert.deepEqual(await ids(store, { q }), await ids(sqlite, { q }), `q=${q.slice(0, 30)}`);
    }
    assert.equal((await ids(store, { q: 'connection' })).length, 2);
    assert.equal((await ids(store, { q: 'cafe' })).length, 1);
  });

  it('refuses forged cursors whose fingerprint matches but whose position is not ours', async () => {
    const query: EventQuery = { limit: 1, order: 'asc' };
    const f = filterFingerprint(query);
    const sqliteCursor = (await sqlite.query(query)).next as string;
    const forged = [
      sqliteCursor,
      encodeCursor({ t: instantAt(1), s: '12', m: '99', f }),
      encodeCursor({ t: instantAt(1), s: 'x:abc', m: '99', f }),
      encodeCursor({ t: instantAt(1), s: '12:abc', m: '{"match_all":{}}', f }),
      encodeCursor({ t: instantAt(1), s: '12:', m: '99', f }),
      encodeCursor({ t: instantAt(1), s: '99999999999999999:id', m: '1', f }),
    ];
    for (const cursor of forged) {
      await assert.rejects(store.query({ ...query, cursor }), InvalidCursor);
    }
    const first = await store.query(query);
    assert.equal((await store.query({ ...query, cursor: first.next as string })).items.length, 1);
  });
});
