import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { createElasticsearchClient } from '../../src/store/elasticsearch/client.ts';
import { parseElasticsearchStoreConfig } from '../../src/store/elasticsearch/config.ts';
import { ElasticsearchCallEndIndex } from '../../src/store/elasticsearch/elasticsearch-call-end-index.ts';
import type { CallEnd } from '../../src/stages/link-traces/call-end.ts';
import type { CallEndQuery } from '../../src/stages/link-traces/call-end-index.ts';
import {
  callEndIndexConformance,
  callEndIndexRetentionConformance,
} from '../../src/stages/link-traces/call-end-index.conformance.ts';
import { requireServer } from '../support/servers.ts';

const server = requireServer('elasticsearch');
const run = randomBytes(4).toString('hex');
type Client = ReturnType<typeof createElasticsearchClient>;
const opened: { prefix: string; client: Client }[] = [];
const DAY_MS = 86_400_000;

/** A fresh index prefix per test (an empty index, nothing shared with other runs), on its own client. */
function open(prefix = `trib-test-${run}-ends-${opened.length + 1}`, nowMs?: () => number) {
  const config = parseElasticsearchStoreConfig({ url: server.url as string, indexPrefix: prefix });
  const client = createElasticsearchClient(config);
  opened.push({ prefix, client });
  return { index: new ElasticsearchCallEndIndex(client, config, nowMs ? { nowMs } : {}), client, prefix };
}

const NOW = Date.now();
const end = (n: number, overrides: Partial<CallEnd> = {}): CallEnd => ({
  key: 'p:/price',
  system: 'pinpoint',
  role: 'client',
  startMs: NOW - 60_000 + n,
  endMs: NOW - 50_000 + n,
  traceId: n.toString(16).padStart(32, '0'),
  spanId: n.toString(16).padStart(16, '0'),
  port: null,
  path: '/price',
  method: 'GET',
  ...overrides,
});
const query = (overrides: Partial<CallEndQuery> = {}): CallEndQuery => ({
  keys: ['p:/price'],
  system: 'pinpoint',
  role: 'client',
  fromMs: NOW - DAY_MS,
  toMs: NOW,
  limit: 100,
  ...overrides,
});

const HOSTILE_KEYS = [
  'p:*',
  'p:/price*',
  'p:/pri?e',
  'h:" OR ""="',
  'p:\\',
  'p:\u0000',
  'p:',
  'p:/a\ud800b',
  'p:/😀',
  `p:/${'x'.repeat(100_000)}`,
  `p:/${'x'.repeat(100_000)}y`,
];

describe('Elasticsearch call end index', { skip: server.skip }, () => {
  after(async () => {
    for (const { prefix, client } of opened) {
      await client.indices.delete({ index: `${prefix}-*` }, { ignore: [404] });
      await client.indices.deleteIndexTemplate({ name: `${prefix}-*` }, { ignore: [404] });
      await client.close();
    }
  });

  callEndIndexConformance(async () => open().index);
  callEndIndexRetentionConformance(async () => open().index);

  it('shows an end added through one replica to the next read through another, without waiting', async () => {
    const a = open();
    const b = open(a.prefix);
    for (let i = 1; i <= 20; i++) {
      await a.index.add([end(i)]);
      assert.equal((await b.index.near(query())).length, i, `end ${i}`);
    }
  });

  it('stores an end added twice once, and returns a span kept in a daily and the outlier index once', async () => {
    const today = open();
    const monthAgo = open(today.prefix, () => NOW - 30 * DAY_MS);
    const old = end(1, { startMs: NOW - 40 * DAY_MS, endMs: NOW - 40 * DAY_MS + 3 });
    await today.index.add([end(2), end(2)]);
    await today.index.add([end(2), old]);
    await monthAgo.index.add([old]);
    await today.client.indices.refresh({ index: `${today.prefix}-*` });
    const indices = await today.client.cat.indices({
      index: `${today.prefix}-call-ends-*`,
      h: 'index,docs.count',
      format: 'json',
    });
    assert.equal(
      indices.reduce((sum, row) => sum + Number(row['docs.count']), 0),
      3,
    );
    assert.ok(indices.some((row) => row.index === `${today.prefix}-call-ends-outliers`));
    assert.deepEqual(await today.index.near(query({ fromMs: 0 })), [old, end(2)]);
  });

  it('finds ends under hostile keys exactly: no wildcard, no prefix match, long and ill-formed keys kept apart', async () => {
    const { index } = open();
    const ends = HOSTILE_KEYS.map((key, i) => end(i + 1, { key, path: key.slice(2), method: key }));
    await index.add(ends);
    for (const [i, key] of HOSTILE_KEYS.entries())
      assert.deepEqual(await index.near(query({ keys: [key] })), [ends[i]], JSON.stringify(key.slice(0, 20)));
    assert.deepEqual(await index.near(query({ keys: ['p:/price', 'p:/', `p:/${'x'.repeat(99_999)}`] })), []);
    assert.equal((await index.near(query({ keys: HOSTILE_KEYS }))).length, HOSTILE_KEYS.length);
  });

  it('answers a limit of zero, a huge limit and hostile bounds without an error', async () => {
    const { index } = open();
    await index.add([end(1), end(2, { startMs: Number.NaN })]);
    assert.deepEqual(await index.near(query({ limit: 0 })), []);
    assert.deepEqual(await index.near(query({ limit: 1e9 })), [end(1)]);
    assert.deepEqual(await index.near(query({ fromMs: Number.MAX_VALUE, toMs: -Number.MAX_VALUE })), []);
  });
});
