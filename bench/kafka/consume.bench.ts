// Consumption throughput of the Kafka source, with its baselines in the same run, on the same topic:
//   (a) a bare kafkajs consumer whose eachBatch only counts (the ceiling the client allows),
//   (b) KafkaSource -> Logstash parser -> a store that keeps nothing (the source's own cost),
//   (c) KafkaSource -> Logstash parser -> SQLite store (WAL, synchronous=FULL) -> offset commit, and
//   (d) the same values parsed and appended to a fresh SQLite store in the same batches, no Kafka (the
//       store's ceiling). `measureSourceToStore` takes any EventStore (e.g. Elasticsearch).
//
//   bash scripts/infra/kafka.sh start
//   npx tsx bench/kafka/consume.bench.ts
//
// Env: TRIBUTARY_BENCH_KAFKA_BROKERS (else TRIBUTARY_TEST_KAFKA_BROKERS, else 127.0.0.1:19092),
// BENCH_EVENTS (default 200000, at most 2000000), BENCH_PARTITIONS (default 4), BENCH_CONCURRENCY
// (partitionsConsumedConcurrently, default 4). The topic `trib-bench-kafka-<pid>` is deleted at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openDatabase } from '../../src/store/sqlite/open-database.ts';
import { SqliteDeadLetterStore } from '../../src/store/sqlite/sqlite-dead-letter-store.ts';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { createElasticsearchClient } from '../../src/store/elasticsearch/client.ts';
import { parseElasticsearchStoreConfig } from '../../src/store/elasticsearch/config.ts';
import { ElasticsearchDeadLetterStore } from '../../src/store/elasticsearch/elasticsearch-dead-letter-store.ts';
import { ElasticsearchEventStore } from '../../src/store/elasticsearch/elasticsearch-event-store.ts';
import { createKafkaClient } from '../../src/sources/kafka/kafka-client.ts';
import { createTopic, deleteTopics } from '../../src/sources/kafka/testing.ts';
import {
  discardingStore,
  logstashValues,
  measureConsumeOnly,
  measureSourceToStore,
  measureStoreAlone,
  printTable,
  produceValues,
} from './measure.ts';

const brokers =
  process.env.TRIBUTARY_BENCH_KAFKA_BROKERS ?? process.env.TRIBUTARY_TEST_KAFKA_BROKERS ?? '127.0.0.1:19092';
const count = Math.min(Number(process.env.BENCH_EVENTS ?? 200_000), 2_000_000);
const partitions = Number(process.env.BENCH_PARTITIONS ?? 4);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);
const topic = `trib-bench-kafka-${process.pid}`;
const logger = pino({ level: 'warn' });
const kafka = createKafkaClient({ brokers: brokers.split(','), clientId: 'tributary-bench' }, logger);
const dir = mkdtempSync(join(tmpdir(), 'trib-bench-kafka-'));

try {
  console.log(
    `Kafka consume bench: ${count} Logstash events, ${partitions} partitions, concurrency ${concurrency}, brokers ${brokers}`,
  );
  await createTopic(kafka, topic, { partitions });
  const values = logstashValues(count);
  const bytes = values.reduce((sum, v) => sum + v.length, 0);
  console.log(
    `average value ${Math.round(bytes / count)} bytes, ${(bytes / 1024 / 1024).toFixed(1)} MiB in all`,
  );
  const produced = await produceValues(kafka, topic, values);
  const baseline = await measureConsumeOnly(kafka, topic, count, concurrency);
  const discarding = await measureSourceToStore({
    kafka,
    brokers,
    topic,
    count,
    concurrency,
    scenario: 'KafkaSource -> parse -> discarding store',
    store: discardingStore,
    deadLetters: { keep: async () => {} },
    logger,
  });
  const db = openDatabase(join(dir, 'through-kafka'));
  const sqlite = await measureSourceToStore({
    kafka,
    brokers,
    topic,
    count,
    concurrency,
    scenario: 'KafkaSource -> parse -> SQLite store',
    store: new SqliteEventStore(db),
    deadLetters: new SqliteDeadLetterStore(db),
    logger,
  });
  const stored = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  db.close();
  const aloneDb = openDatabase(join(dir, 'alone'));
  const alone = await measureStoreAlone(
    'parse -> SQLite store, no Kafka (same batches)',
    values,
    sqlite.batchSizes,
    new SqliteEventStore(aloneDb),
  );
  aloneDb.close();
  sqlite.note = `${((sqlite.perSecond / alone.perSecond) * 100).toFixed(0)} % of the store alone; ${sqlite.note}`;
  const rows = [produced, baseline, discarding, sqlite, alone];
  // Elasticsearch, when a server is given (TRIBUTARY_TEST_ELASTICSEARCH_URL, as the test servers export).
  const esUrl = process.env.TRIBUTARY_TEST_ELASTICSEARCH_URL;
  if (esUrl) {
    const esConfig = parseElasticsearchStoreConfig({ url: esUrl, indexPrefix: `trib-bench-${process.pid}` });
    const client = createElasticsearchClient(esConfig);
    try {
      const esStore = new ElasticsearchEventStore(client, esConfig);
      await esStore.init();
      rows.push(
        await measureSourceToStore({
          kafka,
          brokers,
          topic,
          count,
          concurrency,
          scenario: 'KafkaSource -> parse -> Elasticsearch store',
          store: esStore,
          deadLetters: new ElasticsearchDeadLetterStore(client, esConfig),
          logger,
        }),
      );
    } finally {
      await client.indices
        .delete({ index: `trib-bench-${process.pid}-*`, ignore_unavailable: true })
        .catch(() => {});
      await client.close();
    }
  }
  console.log('');
  printTable(rows, baseline);
  console.log(`\nSQLite (through Kafka) holds ${stored} distinct events of ${count} produced`);
} finally {
  await deleteTopics(kafka, [topic]).catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}
