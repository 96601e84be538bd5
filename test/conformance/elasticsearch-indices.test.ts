import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Client } from '@elastic/elasticsearch';
import type { TributaryEvent } from '../../src/core/event.ts';
import { createElasticsearchClient } from '../../src/store/elasticsearch/client.ts';
import { parseElasticsearchStoreConfig } from '../../src/store/elasticsearch/config.ts';
import { ElasticsearchEventStore } from '../../src/store/elasticsearch/elasticsearch-event-store.ts';
import { makeLog, makeMetric } from '../support/events.ts';
import { requireServer } from '../support/servers.ts';

const server = requireServer('elasticsearch');
const prefix = `trib-test-${randomBytes(4).toString('hex')}-days`;
/** The store's "now": noon on 2026-11-24, so the daily/outlier split does not depend on the day tests run. */
const NOW = Date.UTC(2026, 10, 24, 12);

describe('Elasticsearch daily indices, retention and hostile documents', { skip: server.skip }, () => {
  let client: Client;
  let store: ElasticsearchEventStore;

  const indices = async (): Promise<string[]> => {
    const rows = await client.cat.indices({ index: `${prefix}-events-*`, format: 'json', h: 'index' });
    return rows.flatMap((row) => (row.index ? [row.index] : [])).sort();
  };
  const all = async (): Promise<TributaryEvent[]> => {
    await store.refresh();
    return (await store.query({ limit: 1000, order: 'asc' })).items;
  };
  const dropAll = async (): Promise<void> => {
    const names = await indices();
    if (names.length > 0) await client.indices.delete({ index: names });
  };

  before(async () => {
    const config = parseElasticsearchStoreConfig({ url: server.url as string, indexPrefix: prefix });
    client = createElasticsearchClient(config);
    store = new ElasticsearchEventStore(client, config, { nowMs: () => NOW });
    await store.init();
  });
  beforeEach(dropAll);
  after(async () => {
    await dropAll();
    await client.indices.deleteIndexTemplate({ name: `${prefix}-*` }, { ignore: [404] });
    await client.close();
  });

  it('writes each event into the index of its day, far-off days into the outlier index', async () => {
    const events = [
      makeLog({ time: '2026-11-24T10:00:00.000000000Z' }),
      makeLog({ time: '2026-11-23T23:59:59.999999999Z' }),
      makeMetric({ time: '2026-11-21T00:00:00.000000000Z' }),
      makeLog({ time: '1999-12-31T23:59:59.000000000Z' }),
      makeLog({ time: '2262-05-01T00:00:00.000000000Z' }),
      makeLog({ time: '1900-01-01T00:00:00.000000000Z' }),
    ];
    assert.deepEqual(await store.append(events), { stored: 6 });
    assert.deepEqual(await indices(), [
      `${prefix}-events-2026.11.21`,
      `${prefix}-events-2026.11.23`,
      `${prefix}-events-2026.11.24`,
      `${prefix}-events-outliers`,
    ]);
    // Years outside date_nanos (1970..2262) are stored and ordered like any other.
    assert.deepEqual(
      (await all()).map((e) => e.time),
      events.map((e) => e.time).sort(),
    );
  });

  it('creates daily indices from the template: typed fields, no dynamic mapping', async () => {
    await store.append([makeLog({ time: '2026-11-24T10:00:00.000000000Z' })]);
    const mapping = await client.indices.getMapping({ index: `${prefix}-events-2026.11.24` });
    const mappings = Object.values(mapping)[0]?.mappings;
    const props = mappings?.properties ?? {};
    assert.equal(mappings?.dynamic, 'false');
    assert.equal(props.time?.type, 'date_nanos');
    assert.equal(props.id?.type, 'keyword');
    assert.equal(props.attributes?.type, 'flattened');
    assert.equal(props.message?.type, 'text');
    const settings = await client.indices.getSettings({ index: `${prefix}-events-2026.11.24` });
    assert.equal(Object.values(settings)[0]?.settings?.index?.translog?.durability, 'request');
  });

  it('retention deletes whole indices before the cut-off day and older events within it', async () => {
    const kept = [
      makeLog({ time: '2026-11-24T12:00:00.000000000Z' }),
      makeLog({ time: '2262-01-01T00:00:00.000000000Z' }),
    ];
    const old = [
      makeLog({ time: '2026-11-21T12:00:00.000000000Z' }),
      makeLog({ time: '2026-11-23T01:00:00.000000000Z' }),
      makeLog({ time: '2026-11-23T02:00:00.000000000Z' }),
      makeLog({ time: '2026-11-24T08:00:00.000000000Z' }),
      makeLog({ time: '1999-01-01T00:00:00.000000000Z' }),
    ];
    await store.append([...kept, ...old]);
    // Not refreshed on purpose: retention must count and delete events written a moment ago.
    assert.equal(await store.deleteOlderThan('2026-11-24T10:00:00.000000000Z'), old.length);
    assert.deepEqual(await indices(), [`${prefix}-events-2026.11.24`, `${prefix}-events-outliers`]);
    assert.deepEqual(
      (await all()).map((e) => e.id),
      kept.map((e) => e.id),
    );
    assert.equal(await store.deleteOlderThan('2026-11-24T10:00:00.000000000Z'), 0);
  });

  it('stores hostile attributes unchanged without growing the mapping', async () => {
    await store.append([makeLog({ time: '2026-11-22T10:00:00.000000000Z' })]);
    const plain = await client.indices.getMapping({ index: `${prefix}-events-2026.11.22` });
    let deep: Record<string, unknown> = { leaf: 'bottom' };
    for (let i = 0; i < 60; i++) deep = { [`level${i}`]: deep };
    const manyKeys = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`key.${i}.x`, i]));
    const events = [
      makeLog({
        time: '2026-11-24T10:00:00.000000000Z',
        attributes: {
          ...manyKeys,
          _id: 'not-an-id',
          _source: { enabled: false },
          tributary: { arrival: -1 },
          '': 'empty key',
          '*': ['wild', { card: null }],
          'dots..and..': 1.5,
          proto: JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
        },
      }),
      makeLog({ time: '2026-11-24T10:00:01.000000000Z', service: 'deep', attributes: { deep } }),
      makeLog({ time: '2026-11-24T10:00:02.000000000Z', host: 'h'.repeat(40_000), message: 'm'.repeat(300) }),
    ];
    assert.deepEqual(await store.append(events), { stored: 3 });
    assert.deepEqual((await all()).slice(1), events);
    // Nested deeper than `flattened` indexes: kept whole in the degraded form, still filterable.
    const stored = await client.get<{ tributary: { event?: string } }>({
      index: `${prefix}-events-2026.11.24`,
      id: events[1]?.id as string,
    });
    assert.equal(typeof stored._source?.tributary.event, 'string');
    const deepOnly = await store.query({ limit: 10, order: 'asc', service: 'deep', q: 'message' });
    assert.deepEqual(deepOnly.items, [events[1]]);
    const longWord = await store.query({ limit: 10, order: 'asc', q: 'm'.repeat(300) });
    assert.deepEqual(longWord.items, [events[2]]);
    const after = await client.indices.getMapping({ index: `${prefix}-events-2026.11.24` });
    const fields = (m: typeof after): string[] =>
      Object.keys(Object.values(m)[0]?.mappings?.properties ?? {}).sort();
    assert.ok(fields(after).length > 0);
    assert.deepEqual(fields(after), fields(plain));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('sets order keys of events another replica wrote a moment ago, keeping them searchable', async () => {
    const config = parseElasticsearchStoreConfig({ url: server.url as string, indexPrefix: prefix });
    const otherClient = createElasticsearchClient(config);
    const replica = new ElasticsearchEventStore(otherClient, config, { nowMs: () => NOW });
    let deep: Record<string, unknown> = { leaf: 'bottom' };
    for (let i = 0; i < 30; i++) deep = { [`l${i}`]: deep };
    const events = [
      makeLog({ time: '2026-11-23T10:00:00.000000000Z', message: 'upstream timeout on payments' }),
      makeLog({
        time: '2026-11-24T10:00:00.000000000Z',
        message: 'upstream timeout again',
        attributes: { deep },
      }),
    ];
    await replica.append(events); // not refreshed: only a realtime lookup or a refresh can find them
    const final = { offsetMs: 12.5, errorMs: 1, late: false, forced: false, final: true };
    const keys = ['2026-11-24T09:00:00.000000000Z.000001', '2026-11-24T09:00:00.000000000Z.000000'];
    const updated = await store.setOrderKeys(
      events.map((e, i) => ({ id: e.id, key: keys[i] as string, ...final })),
    );
    assert.equal(updated, 2);
    await store.refresh();
    const page = await store.query({ limit: 10, order: 'asc', sortBy: 'causal', q: 'upstream timeout' });
    assert.deepEqual(page.items, [events[1], events[0]]);
    assert.deepEqual(page.orderings?.[events[0]?.id as string], { key: keys[0], ...final });
    await otherClient.close();
  });

  it('a replay after the first write stores nothing twice, whatever the batch split', async () => {
    const events = Array.from({ length: 30 }, (_, i) =>
      makeLog({ time: `2026-11-${String(20 + (i % 5)).padStart(2, '0')}T10:00:00.000000000Z` }),
    );
    assert.deepEqual(await store.append(events.slice(0, 10)), { stored: 10 });
    assert.deepEqual(await store.append([...events].reverse()), { stored: 20 });
    const stored = await all();
    assert.equal(stored.length, 30);
    assert.equal(new Set(stored.map((e) => e.id)).size, 30);
  });
});
