import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { createElasticsearchClient } from '../../src/store/elasticsearch/client.ts';
import { parseElasticsearchStoreConfig } from '../../src/store/elasticsearch/config.ts';
import { ElasticsearchTraceLinkIndex } from '../../src/store/elasticsearch/elasticsearch-trace-link-index.ts';
import type { TraceLink } from '../../src/stages/link-traces/trace-link.ts';
import {
  traceLinkIndexConformance,
  traceLinkIndexRetentionConformance,
} from '../../src/stages/link-traces/trace-link-index.conformance.ts';
import { requireServer } from '../support/servers.ts';

const server = requireServer('elasticsearch');
const run = randomBytes(4).toString('hex');
type Client = ReturnType<typeof createElasticsearchClient>;
const opened: { prefix: string; client: Client }[] = [];

/** A fresh index prefix per test (an empty index, nothing shared with other runs), on its own client. */
function open(prefix = `trib-test-${run}-links-${opened.length + 1}`, now?: () => string) {
  const config = parseElasticsearchStoreConfig({ url: server.url as string, indexPrefix: prefix });
  const client = createElasticsearchClient(config);
  opened.push({ prefix, client });
  return { index: new ElasticsearchTraceLinkIndex(client, config, now ? { now } : {}), client, prefix };
}

const t = (n: number): string => n.toString(16).padStart(32, '0');
const link = (parent: string, child: string, spanId: string | null = 'ab'.repeat(8)): TraceLink => ({
  kind: 'traceparent',
  relation: 'calls',
  parent: { traceId: parent, spanId },
  child: { traceId: child, spanId },
  calleeSpanId: spanId,
});

const HOSTILE = [
  '*',
  '?',
  '.*',
  'a*',
  '" OR ""="',
  '{"query":{"match_all":{}}}',
  '\\',
  '\u0000',
  '',
  ' ',
  'a\ud800b',
  '\udc00',
  '😀',
  'x'.repeat(100_000),
  `${'x'.repeat(100_000)}y`,
  'x'.repeat(512),
  'x'.repeat(513),
];

describe('Elasticsearch trace link index', { skip: server.skip }, () => {
  after(async () => {
    for (const { prefix, client } of opened) {
      await client.indices.delete({ index: `${prefix}-*` }, { ignore: [404] });
      await client.indices.deleteIndexTemplate({ name: `${prefix}-*` }, { ignore: [404] });
      await client.close();
    }
  });

  traceLinkIndexConformance(async () => open().index);
  traceLinkIndexRetentionConformance(async (now) => open(undefined, now).index);

  it('shows a link added through one replica to the next read through another, without waiting', async () => {
    const a = open();
    const b = open(a.prefix);
    for (let i = 1; i <= 20; i++) {
      await a.index.add([link(t(i), t(1000 + i))]);
      assert.deepEqual(await b.index.linksOf([t(1000 + i)]), [link(t(i), t(1000 + i))], `link ${i}`);
    }
  });

  it('stores a link added twice the same day once, and grows no mapping from what a link carries', async () => {
    const { index, client, prefix } = open();
    const odd = { ...link(t(1), t(2)), extra: { 'a.b': 1, '*': [1, 2] } } as TraceLink;
    await index.add([odd, odd]);
    await index.add([odd]);
    await client.indices.refresh({ index: `${prefix}-*` });
    assert.equal((await client.count({ index: `${prefix}-trace-links-*` })).count, 1);
    const mappings = await client.indices.getMapping({ index: `${prefix}-trace-links-*` });
    for (const { mappings: m } of Object.values(mappings))
      assert.deepEqual(Object.keys(m.properties ?? {}).sort(), ['id', 'link', 'recordedAt', 'traces']);
  });

  it('finds hostile ids exactly: no wildcard, no prefix match, long and ill-formed ids kept apart', async () => {
    const { index } = open();
    const links = HOSTILE.map((id, i) => link(id, t(i + 1), id));
    await index.add(links);
    for (const [i, id] of HOSTILE.entries()) {
      assert.deepEqual(await index.linksOf([id]), [links[i]], JSON.stringify(id.slice(0, 20)));
      assert.deepEqual(await index.linksOf([t(i + 1)]), [links[i]]);
    }
    assert.deepEqual(await index.linksOf(['x'.repeat(99_999), 'x'.repeat(514), 'a', 'b', '\ufffd']), []);
    assert.equal((await index.linksOf(HOSTILE)).length, HOSTILE.length);
  });
});
