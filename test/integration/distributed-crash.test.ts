import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import { Kafka, logLevel } from 'kafkajs';
import { parseLogstashBody } from '../../src/sources/logstash/parse-events.ts';
import { requireServer } from '../support/servers.ts';
import { freePort, spawnTributary, waitUntil, type TributaryProcess } from '../support/tributary-process.ts';

const kafkaServer = requireServer('kafka');
const esServer = requireServer('elasticsearch');
const redisServer = requireServer('redis');
const skip = kafkaServer.skip || esServer.skip || redisServer.skip;
const TOTAL = Number(process.env.TRIBUTARY_CRASH_TEST_EVENTS ?? 100_000);

describe('crash of one replica of two, against real Kafka, Elasticsearch and Redis', { skip }, () => {
  it(`stores every one of ${TOTAL} Logstash events exactly once after a SIGKILL mid-stream`, async () => {
    const run = `crash${Date.now().toString(36)}`;
    const dir = mkdtempSync(join(tmpdir(), 'trib-crash-'));
    const configFile = join(dir, 'tributary.yaml');
    writeFileSync(
      configFile,
      [
        'kafka:',
        `  groupId: ${run}`,
        '  internalTopicPartitions: 4',
        '  topics:',
        `    events: ${run}.events`,
        `    logstash: ${run}.logstash`,
        `    cadvisor: ${run}.cadvisor`,
        `    nagios: ${run}.nagios`,
        `    pinpoint: ${run}.pinpoint`,
        'elasticsearch:',
        `  indexPrefix: ${run}`,
        '',
      ].join('\n'),
    );
    const env = (name: string): Record<string, string> => ({
      TRIBUTARY_CONFIG: configFile,
      TRIBUTARY_DATA_DIR: join(dir, name),
      TRIBUTARY_KAFKA_BROKERS: kafkaServer.url as string,
      TRIBUTARY_ELASTICSEARCH_URL: esServer.url as string,
      TRIBUTARY_REDIS_URL: redisServer.url as string,
    });
    const kafka = new Kafka({
      clientId: run,
      brokers: (kafkaServer.url as string).split(','),
      logLevel: logLevel.NOTHING,
    });
    const es = new Client({ node: esServer.url as string });
    const replicas: TributaryProcess[] = [];
    try {
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({
        topics: [{ topic: `${run}.logstash`, numPartitions: 4 }],
        waitForLeaders: true,
      });
      await admin.disconnect();

      replicas.push(spawnTributary(env('a'), freePort()), spawnTributary(env('b'), freePort()));
      await Promise.all(replicas.map((r) => r.ready));

      // What Logstash's kafka output writes with codec => json: one event per record, keyed by host.
      const values = Array.from({ length: TOTAL }, (_, i) =>
        JSON.stringify({
          '@timestamp': new Date(Date.UTC(2026, 10, 24, 12) + i).toISOString(),
          '@version': '1',
          message: `crash test event ${i}`,
          host: { name: `host-${i % 8}` },
          log: { file: { path: '/var/log/app.log' }, offset: Math.floor(i / 8) },
        }),
      );
      const expectedIds = new Set(
        values.map(
          (v) => parseLogstashBody(v, { receivedAt: '2026-01-01T00:00:00.000000000Z' }).events[0]?.id,
        ),
      );
      assert.equal(expectedIds.size, TOTAL);

      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      let killed = false;
      for (let i = 0; i < TOTAL; i += 2000) {
        await producer.send({
          topic: `${run}.logstash`,
          acks: -1,
          messages: values.slice(i, i + 2000).map((value, j) => ({ key: `host-${(i + j) % 8}`, value })),
        });
        if (!killed && i >= TOTAL / 3) {
          replicas[0]?.child.kill('SIGKILL');
          await replicas[0]?.exited;
          killed = true;
        }
      }
      await producer.disconnect();
      assert.ok(killed);
      // The killed replica comes back; its partitions are replayed from the last committed offsets.
      replicas[0] = spawnTributary(env('a'), freePort());
      await replicas[0].ready;

      const indexPattern = `${run}-events-*`;
      const count = await waitUntil(
        `${TOTAL} documents in ${indexPattern}`,
        async () => {
          await es.indices.refresh({ index: indexPattern, allow_no_indices: true, ignore_unavailable: true });
          const { count } = await es.count({
            index: indexPattern,
            allow_no_indices: true,
            ignore_unavailable: true,
          });
          return count >= TOTAL ? count : null;
        },
        15 * 60_000,
      );
      await new Promise((r) => setTimeout(r, 3000));
      await es.indices.refresh({ index: indexPattern });
      assert.equal((await es.count({ index: indexPattern })).count, TOTAL, 'no duplicates after the replay');
      assert.equal(count, TOTAL);

      const stored = new Set<string>();
      let searchAfter: (string | number)[] | undefined;
      for (;;) {
        const page = await es.search<{ id: string }>({
          index: indexPattern,
          size: 10_000,
          _source: ['id'],
          sort: [{ id: 'asc' }],
          ...(searchAfter ? { search_after: searchAfter } : {}),
        });
        const hits = page.hits.hits;
        if (hits.length === 0) break;
        for (const hit of hits) stored.add(hit._source?.id ?? hit._id ?? '');
        searchAfter = hits[hits.length - 1]?.sort as (string | number)[];
      }
      assert.equal(stored.size, TOTAL);
      const missing = [...expectedIds].filter((id) => id && !stored.has(id));
      assert.deepEqual(missing.slice(0, 3), [], `${missing.length} events missing`);
    } finally {
      for (const replica of replicas) replica.child.kill('SIGTERM');
      await Promise.all(replicas.map((r) => r.exited));
      await es.indices
        .delete({ index: `${run}-*`, allow_no_indices: true, ignore_unavailable: true })
        .catch(() => {});
      await es.close();
      const admin = kafka.admin();
      await admin.connect();
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(run));
      if (topics.length) await admin.deleteTopics({ topics }).catch(() => {});
      await admin.disconnect();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
