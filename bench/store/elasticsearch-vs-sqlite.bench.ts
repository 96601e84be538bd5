// Append throughput of the event stores on the same generated log events: the SQLite store (WAL,
// synchronous=FULL), the Elasticsearch store, and the baseline: raw `_bulk` requests of the very same
// documents with the same client, cut the same way, as many in flight, in the same run.
//
//   bash scripts/infra/elasticsearch.sh start
//   npx tsx bench/store/elasticsearch-vs-sqlite.bench.ts
//
// Env: TRIBUTARY_BENCH_ELASTICSEARCH_URL (else TRIBUTARY_TEST_ELASTICSEARCH_URL, else
// http://127.0.0.1:19200), BENCH_EVENTS (default 100000), BENCH_BATCH (events per append, default 2000
// as the pipeline's batchSize), BENCH_MAX_SECONDS per scenario (default 120: the row then counts what
// finished). Indices live under `trib-bench-<pid>-*` and are deleted at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import type { TributaryEvent } from '../../src/core/event.ts';
import { createElasticsearchClient } from '../../src/store/elasticsearch/client.ts';
import {
  parseElasticsearchStoreConfig,
  type ElasticsearchStoreConfig,
} from '../../src/store/elasticsearch/config.ts';
import { ElasticsearchEventStore } from '../../src/store/elasticsearch/elasticsearch-event-store.ts';
import type { EventStore } from '../../src/store/event-store.ts';
import { openDatabase } from '../../src/store/sqlite/open-database.ts';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { generateLogEvents } from './generate-events.ts';
import { rawBulkDocuments, runRawBulk } from './raw-bulk.ts';
import { printTable, type Row } from './table.ts';

const url =
  process.env.TRIBUTARY_BENCH_ELASTICSEARCH_URL ??
  process.env.TRIBUTARY_TEST_ELASTICSEARCH_URL ??
  'http://127.0.0.1:19200';
const count = Number(process.env.BENCH_EVENTS ?? 100_000);
const batch = Number(process.env.BENCH_BATCH ?? 2000);
const maxMs = Number(process.env.BENCH_MAX_SECONDS ?? 120) * 1000;
const run = `trib-bench-${process.pid}`;

/** Appends `events` in batches, one batch at a time as the pipeline's store sink does. */
async function appendAll(
  scenario: string,
  store: EventStore,
  events: readonly TributaryEvent[],
): Promise<Row> {
  const latencies: number[] = [];
  let done = 0;
  let stored = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  while (done < events.length && performance.now() - started < maxMs) {
    const slice = events.slice(done, done + batch);
    const t0 = performance.now();
    stored += (await store.append(slice)).stored;
    latencies.push(performance.now() - t0);
    done += slice.length;
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    scenario,
    events: done,
    seconds,
    nodeCpuUs: (used.user + used.system) / done,
    latencies,
    note: `${stored} newly stored`,
  };
}

async function sqliteRow(events: readonly TributaryEvent[]): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'trib-bench-'));
  const db = openDatabase(dir);
  try {
    return await appendAll('SqliteEventStore (WAL, synchronous=FULL)', new SqliteEventStore(db), events);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function esConfig(name: string): ElasticsearchStoreConfig {
  return parseElasticsearchStoreConfig({ url, indexPrefix: `${run}-${name}` });
}

async function countDocuments(client: Client, prefix: string): Promise<number> {
  await client.indices.refresh({ index: `${prefix}-events-*` });
  return (await client.count({ index: `${prefix}-events-*` })).count;
}

async function main(): Promise<void> {
  console.log(`generating ${count.toLocaleString('en-US')} log events...`);
  const events = generateLogEvents(count);
  const client = createElasticsearchClient(esConfig('x'));
  const rows: Row[] = [];
  const prefixes: string[] = [];
  try {
    const health = await client.cluster.health();
    console.log(
      `Elasticsearch ${url} (${health.status}); batches of ${batch}; at most ${maxMs / 1000} s per row\n`,
    );
    rows.push(await sqliteRow(events));

    const storeConfig = esConfig('store');
    prefixes.push(storeConfig.indexPrefix);
    const store = new ElasticsearchEventStore(client, storeConfig);
    await store.init();
    const first = await appendAll(
      `ElasticsearchEventStore (bulk ${storeConfig.bulkSize} x ${storeConfig.bulkConcurrency} in flight)`,
      store,
      events,
    );
    first.note += `, ${await countDocuments(client, storeConfig.indexPrefix)} in the index`;
    rows.push(first);
    const replay = await appendAll(
      'ElasticsearchEventStore, replay of the same events (all 409)',
      store,
      events,
    );
    replay.note += `, ${await countDocuments(client, storeConfig.indexPrefix)} in the index`;
    rows.push(replay);

    for (const withMeta of [true, false]) {
      const config = esConfig(withMeta ? 'raw' : 'plain');
      prefixes.push(config.indexPrefix);
      await new ElasticsearchEventStore(client, config).init(); // the same template and mappings
      const documents = rawBulkDocuments(events, config, withMeta);
      const row = await runRawBulk(client, documents, {
        batch,
        bulkSize: config.bulkSize,
        concurrency: config.bulkConcurrency,
        maxMs,
      });
      row.scenario = withMeta
        ? 'baseline: raw _bulk create of the same documents'
        : 'baseline: raw _bulk create of the bare events (no search tokens)';
      row.note += `, ${await countDocuments(client, config.indexPrefix)} in the index`;
      rows.push(row);
    }
    console.log('');
    printTable(rows);
  } finally {
    for (const prefix of prefixes) {
      await client.indices.delete({ index: `${prefix}-*` }, { ignore: [404] });
      await client.indices.deleteIndexTemplate({ name: `${prefix}-*` }, { ignore: [404] });
    }
    await client.close();
  }
}

await main();
