import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { pino } from 'pino';
import { makeLog } from '../../test/support/events.ts';
import { requireServer } from '../../test/support/servers.ts';
import { createDefaultKafkaConfig, type KafkaConfig } from '../sources/kafka/config.ts';
import { encodeInternalEvent } from '../sources/kafka/internal-event-codec.ts';
import { createKafkaClient } from '../sources/kafka/kafka-client.ts';
import { deleteTopics, endOffsets, waitFor, withAdmin } from '../sources/kafka/testing.ts';
import { QueueClosed, QueueFull } from './event-queue.ts';
import { EventTooLarge, KafkaQueue, QueueUnavailable } from './kafka-queue.ts';

const server = requireServer('kafka');
const run = randomUUID().slice(0, 8);
const logger = pino({ level: 'silent' });
let counter = 0;

function queueConfig(overrides: { capacity?: number; maxRequestBytes?: number } = {}): KafkaConfig {
  counter += 1;
  return createDefaultKafkaConfig(server.url ?? '127.0.0.1:1', {
    clientId: `kafka-queue-test-${run}`,
    topics: { events: `kafka-queue-test.${run}.${counter}` },
    internalTopicPartitions: 3,
    producer: overrides,
  });
}

async function readAll(kafka: Kafka, topic: string, count: number): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: `kafka-queue-test-reader-${randomUUID()}` });
  const seen: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message);
      },
    });
    await waitFor(() => seen.length >= count, `${count} messages on ${topic}`);
    return seen;
  } finally {
    await consumer.disconnect();
  }
}

const total = (offsets: Map<number, bigint>): bigint => [...offsets.values()].reduce((a, b) => a + b, 0n);

describe('KafkaQueue without a broker', () => {
  it('refuses offers before start, and shuts down safely without start', async () => {
    const config = queueConfig();
    const queue = new KafkaQueue(createKafkaClient(config, logger), config);
    await assert.rejects(queue.offer([makeLog()]), QueueClosed);
    await queue.shutdown(Date.now() + 1000);
    await queue.shutdown(Date.now() + 1000);
    await assert.rejects(queue.offer([makeLog()]), QueueClosed);
  });

  it('answers QueueUnavailable (a QueueFull: retry later) when Kafka does not acknowledge', async () => {
    const config = queueConfig();
    const unreachable = {
      admin: () => ({
        connect: async () => {},
        disconnect: async () => {},
        listTopics: async () => [config.topics.events],
      }),
      producer: () => ({
        connect: async () => {},
        disconnect: async () => {},
        send: async () => {
          throw new Error('Connection error: connect ECONNREFUSED');
        },
      }),
    } as unknown as Kafka;
    const queue = new KafkaQueue(unreachable, config);
    await queue.start();
    const failed = queue.offer([makeLog()]);
    await assert.rejects(failed, QueueUnavailable);
    await assert.rejects(failed, QueueFull);
    await assert.rejects(failed, /ECONNREFUSED/);
    assert.equal(queue.depth, 0);
    await queue.shutdown(Date.now() + 1000);
  });
});

describe('KafkaQueue against a real broker', { skip: server.skip }, () => {
  let kafka: Kafka;
  const topics: string[] = [];
  const queues: KafkaQueue[] = [];

  async function started(config: KafkaConfig): Promise<KafkaQueue> {
    const queue = new KafkaQueue(kafka, config, logger);
    queues.push(queue);
    topics.push(config.topics.events);
    await queue.start();
    return queue;
  }

  before(() => {
    kafka = createKafkaClient(
      { brokers: (server.url ?? '').split(','), clientId: `kafka-queue-test-${run}` },
      logger,
    );
  });
  after(async () => {
    for (const q of queues) await q.shutdown(Date.now() + 10_000);
    if (topics.length > 0) await deleteTopics(kafka, topics);
  });

  it('creates the internal topic with the configured partitions', async () => {
    const config = queueConfig();
    await started(config);
    const { topics: meta } = await withAdmin(kafka, (admin) =>
      admin.fetchTopicMetadata({ topics: [config.topics.events] }),
    );
    assert.equal(meta[0]?.partitions.length, 3);
  });

  it('resolves once the broker has the events, keyed by emitter, host or id', async () => {
    const config = queueConfig();
    const queue = await started(config);
    const events = [
      makeLog(),
      makeLog({ sourceKey: null, host: 'web-9' }),
      makeLog({ sourceKey: null, host: null }),
    ];
    await queue.offer(events);
    assert.equal(total(await endOffsets(kafka, config.topics.events)), 3n, 'acknowledged means written');
    const messages = await readAll(kafka, config.topics.events, 3);
    const byValue = new Map(messages.map((m) => [m.value?.toString(), m.key?.toString()]));
    assert.deepEqual(
      events.map((e) => byValue.get(encodeInternalEvent(e))),
      ['web-1:/var/log/app.log', 'web-9', events[2]?.id],
    );
  });

  it('splits a large offer into requests under the size limit, keeping per-key order', async () => {
    const config = queueConfig({ maxRequestBytes: 16 * 1024 });
    const queue = await started(config);
    const events = Array.from({ length: 600 }, (_, i) =>
      makeLog({ sourceKey: `k${i % 3}`, sequence: String(i) }),
    );
    await queue.offer(events);
    const messages = await readAll(kafka, config.topics.events, 600);
    for (const key of ['k0', 'k1', 'k2']) {
      const sequences = messages
        .filter((m) => m.key?.toString() === key)
        .map((m) => Number((JSON.parse(m.value?.toString() ?? '{}') as { sequence: string }).sequence));
      assert.equal(sequences.length, 200);
      assert.deepEqual(
        sequences,
        [...sequences].sort((a, b) => a - b),
      );
    }
  });

  it('answers QueueFull beyond its capacity of unacknowledged events', async () => {
    const queue = await started(queueConfig({ capacity: 10 }));
    const first = queue.offer(Array.from({ length: 8 }, () => makeLog()));
    await assert.rejects(queue.offer(Array.from({ length: 5 }, () => makeLog())), QueueFull);
    await first;
    assert.equal(queue.depth, 0);
    await queue.offer(Array.from({ length: 5 }, () => makeLog()));
  });

  it('refuses an event larger than the broker accepts, producing nothing of its offer', async () => {
    const config = queueConfig();
    const queue = await started(config);
    const huge = makeLog({ message: 'x'.repeat(config.producer.maxMessageBytes) });
    await assert.rejects(queue.offer([makeLog(), huge]), EventTooLarge);
    assert.equal(total(await endOffsets(kafka, config.topics.events)), 0n);
  });

  it('lets accepted offers finish on shutdown, then refuses new ones', async () => {
    const config = queueConfig();
    const queue = await started(config);
    const inFlight = queue.offer(Array.from({ length: 2000 }, () => makeLog()));
    await queue.shutdown(Date.now() + 10_000);
    await inFlight;
    assert.equal(total(await endOffsets(kafka, config.topics.events)), 2000n);
    await assert.rejects(queue.offer([makeLog()]), QueueClosed);
  });
});
