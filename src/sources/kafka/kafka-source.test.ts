import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Kafka } from 'kafkajs';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { requireServer } from '../../../test/support/servers.ts';
import { makeLog } from '../../../test/support/events.ts';
import { createPipelineMetrics } from '../../core/counters.ts';
import { parseLogstashBody } from '../logstash/parse-events.ts';
import { createDefaultKafkaConfig, type KafkaConfig } from './config.ts';
import { createInternalEventDecoder, encodeInternalEvent } from './internal-event-codec.ts';
import { createKafkaClient } from './kafka-client.ts';
import { KafkaSource } from './kafka-source.ts';
import type { KafkaRecordDecoder } from './record-decoder.ts';
import {
  RecordingDeadLetters,
  RecordingEventStore,
  committedOffsets,
  committedToEnd,
  createTopic,
  deleteTopics,
  endOffsets,
  produceRaw,
  waitFor,
} from './testing.ts';

const server = requireServer('kafka');
const run = randomUUID().slice(0, 8);
const logger = pino({ level: 'silent' });
let counter = 0;

/** A fresh topic and consumer group per scenario, with a short session so a dead member is noticed fast. */
function scenario(name: string): { topic: string; config: KafkaConfig } {
  counter += 1;
  const topic = `kafka-source-test.${run}.${counter}.${name}`;
  const config = createDefaultKafkaConfig(server.url ?? '', {
    clientId: `kafka-source-test-${run}`,
    groupId: `kafka-source-test-${run}-${counter}`,
    topics: { events: topic },
    consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, retryInitialMs: 50, retryMaxMs: 200 },
  });
  return { topic, config };
}

function internalDecoders(topic: string): Map<string, KafkaRecordDecoder> {
  return new Map([[topic, createInternalEventDecoder({ maxRecordBytes: 1024 * 1024 })]]);
}

function source(
  kafka: Kafka,
  config: KafkaConfig,
  decoders: Map<string, KafkaRecordDecoder>,
  store = new RecordingEventStore(),
  deadLetters = new RecordingDeadLetters(),
): { source: KafkaSource; store: RecordingEventStore; deadLetters: RecordingDeadLetters } {
  const metrics = createPipelineMetrics(new Registry());
  return {
    source: new KafkaSource({ kafka, config, decoders, store, deadLetters, metrics, logger }),
    store,
    deadLetters,
  };
}

const soon = (): number => Date.now() + 20_000;

async function assertCommittedToEnd(kafka: Kafka, groupId: string, topic: string): Promise<void> {
  const [committed, end] = [await committedOffsets(kafka, groupId, topic), await endOffsets(kafka, topic)];
  assert.ok(await committedToEnd(kafka, groupId, topic), `committed ${[...committed]} of ${[...end]}`);
}

describe('KafkaSource lifecycle without a broker', () => {
  it('shuts down safely without start, idempotently, and refuses to start afterwards', async () => {
    const { topic, config } = scenario('no-broker');
    const kafka = createKafkaClient({ brokers: ['127.0.0.1:1'], clientId: 'unused' }, logger);
    const s = source(kafka, config, internalDecoders(topic));
    await s.source.shutdown(soon());
    await s.source.shutdown(soon());
    await assert.rejects(s.source.start(), /after shutdown/);
  });
});

describe('KafkaSource against a real broker', { skip: server.skip }, () => {
  let kafka: Kafka;
  const topics: string[] = [];
  const stoppers: KafkaSource[] = [];

  before(() => {
    kafka = createKafkaClient(
      { brokers: (server.url ?? '').split(','), clientId: `kafka-source-test-${run}` },
      logger,
    );
  });
  after(async () => {
    for (const s of stoppers) await s.shutdown(soon()).catch(() => {});
    if (topics.length > 0) await deleteTopics(kafka, topics);
  });

  it('keeps poison records as dead letters with reason and location, stores their neighbours, commits past them', async () => {
    const { topic, config } = scenario('poison');
    const logstashTopic = `${topic}.logstash`;
    topics.push(topic, logstashTopic);
    await createTopic(kafka, topic, { maxMessageBytes: 8 * 1024 * 1024 });
    await createTopic(kafka, logstashTopic);
    const good = Array.from({ length: 6 }, () => makeLog());
    const valid = (i: number): string => encodeInternalEvent(good[i] as (typeof good)[number]);
    const fiveMb = JSON.stringify({ ...good[0], id: 'huge', message: 'x'.repeat(5 * 1024 * 1024) });
    await produceRaw(kafka, topic, [
      { value: valid(0) },
      { value: Buffer.from([0xde, 0xad, 0xbe, 0xef, 0xff]) }, // offset 1: garbage bytes
      { value: valid(1) },
      { value: valid(2).slice(0, 50) }, // 3: truncated JSON (good[2] is never sent whole)
      { value: JSON.stringify({ ...good[0], id: 'typed', time: 17, level: 3 }) }, // 4: wrong types
      { value: valid(3) },
      { value: fiveMb }, // 6: 5 MB
      { value: valid(4) },
      { value: null }, // 8: tombstone
      { value: valid(5) },
    ]);
    // The Logstash wiring: the Kafka offset is the sequence of records without log.offset.
    const logstash: KafkaRecordDecoder = (value, meta) =>
      parseLogstashBody(value.toString('utf8'), {
        receivedAt: '2026-11-24T10:00:00.000000000Z',
        transportSequence: meta.offset,
      });
    await produceRaw(kafka, logstashTopic, [
      {
        value: JSON.stringify({ '@timestamp': '2026-11-24T10:00:01.000Z', message: 'first', host: 'web-1' }),
      },
      { value: JSON.stringify({ '@timestamp': 'yesterday', message: 'bad time' }) },
      {
        value: JSON.stringify({
          '@timestamp': '2026-11-24T10:00:02.000Z',
          message: 'third',
          log: { offset: 900 },
        }),
      },
    ]);
    const decoders = internalDecoders(topic).set(logstashTopic, logstash);
    const s = source(kafka, config, decoders);
    stoppers.push(s.source);
    await s.source.start();
    await waitFor(
      () => s.store.byId.size === 7 && s.deadLetters.kept.length === 6,
      () => `7 events and 6 dead letters (have ${s.store.byId.size}, ${s.deadLetters.kept.length})`,
    );
    await waitFor(async () => {
      const committed = await committedOffsets(kafka, config.groupId, topic);
      return (
        committed.get(0) === 10n &&
        (await committedOffsets(kafka, config.groupId, logstashTopic)).get(0) === 3n
      );
    }, 'offsets committed past the poison records');

    for (const event of good.filter((_, i) => i !== 2)) assert.deepEqual(s.store.byId.get(event.id), event);
    const letters = s.deadLetters.kept.map((r) => [r.location, r.reason]);
    assert.deepEqual(
      letters.slice().sort(),
      [
        [`${logstashTopic}/0@1`, 'invalid_timestamp'],
        [`${topic}/0@1`, 'invalid_utf8'],
        [`${topic}/0@3`, 'invalid_json'],
        [`${topic}/0@4`, 'invalid_event'],
        [`${topic}/0@6`, 'too_large'],
        [`${topic}/0@8`, 'empty_value'],
      ].sort(),
    );
    const huge = s.deadLetters.kept.find((r) => r.reason === 'too_large');
    assert.equal(huge?.raw.length, fiveMb.length, 'the raw record is handed to the dead-letter store whole');
    const logs = [...s.store.byId.values()].filter((e) => !good.some((g) => g.id === e.id));
    assert.deepEqual(logs.map((e) => [e.message, e.sequence]).sort(), [
      ['first', '0'],
      ['third', '900'],
    ]);
  });

  it('retries a failing store without skipping, and commits only after the batch is stored', async () => {
    const { topic, config } = scenario('flaky-store');
    topics.push(topic);
    await createTopic(kafka, topic, { partitions: 1 });
    const events = Array.from({ length: 50 }, () => makeLog());
    await produceRaw(
      kafka,
      topic,
      events.map((e) => ({ key: e.sourceKey, value: encodeInternalEvent(e) })),
    );
    const committedWhenCalled: (bigint | undefined)[] = [];
    const store = new RecordingEventStore();
    store.before = async (call) => {
      committedWhenCalled.push((await committedOffsets(kafka, config.groupId, topic)).get(0));
      if (call <= 2) throw new Error(`store unavailable (call ${call})`);
    };
    const s = source(kafka, config, internalDecoders(topic), store);
    stoppers.push(s.source);
    await s.source.start();
    await waitFor(() => store.byId.size === 50, 'all events stored');
    await waitFor(
      async () => (await committedOffsets(kafka, config.groupId, topic)).get(0) === 50n,
      'commit',
    );

    assert.ok(store.calls >= 3, `the store was called ${store.calls} times`);
    assert.deepEqual(
      committedWhenCalled.slice(0, 3),
      [-1n, -1n, -1n],
      'nothing committed before the store succeeded',
    );
    assert.deepEqual(
      store.appended.map((e) => e.id),
      events.map((e) => e.id),
      'every event, in order, once',
    );
  });

  it('writes a large batch in slices, committing after each', async () => {
    const { topic, config: base } = scenario('slices');
    const config = { ...base, consumer: { ...base.consumer, recordsPerWrite: 10 } };
    topics.push(topic);
    await createTopic(kafka, topic);
    const events = Array.from({ length: 55 }, () => makeLog());
    await produceRaw(
      kafka,
      topic,
      events.map((e) => ({ value: encodeInternalEvent(e) })),
    );
    const store = new RecordingEventStore();
    const committedBefore: bigint[] = [];
    const sizes: number[] = [];
    store.before = async (_call, batch) => {
      sizes.push(batch.length);
      committedBefore.push((await committedOffsets(kafka, config.groupId, topic)).get(0) ?? -1n);
    };
    const s = source(kafka, config, internalDecoders(topic), store);
    stoppers.push(s.source);
    await s.source.start();
    await waitFor(() => committedToEnd(kafka, config.groupId, topic), 'everything committed');
    assert.ok(
      sizes.every((n) => n <= 10),
      `writes of at most 10 events: ${sizes}`,
    );
    assert.deepEqual(
      store.appended.map((e) => e.id),
      events.map((e) => e.id),
    );
    // Each write finds the previous slices committed (the first batch may be short: fetch boundaries).
    assert.deepEqual(
      committedBefore,
      [...committedBefore].sort((a, b) => Number(a - b)),
    );
    assert.ok(new Set(committedBefore).size >= 5, `commits between writes: ${committedBefore}`);
  });

  it('finishes the batch in hand on shutdown and commits it', async () => {
    const { topic, config } = scenario('shutdown');
    topics.push(topic);
    await createTopic(kafka, topic);
    const events = Array.from({ length: 20 }, () => makeLog());
    await produceRaw(
      kafka,
      topic,
      events.map((e) => ({ value: encodeInternalEvent(e) })),
    );
    const store = new RecordingEventStore();
    let entered!: () => void;
    const inAppend = new Promise<void>((resolve) => (entered = resolve));
    store.before = async () => {
      entered();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    };
    const s = source(kafka, config, internalDecoders(topic), store);
    await s.source.start();
    await inAppend;
    await s.source.shutdown(soon());
    await s.source.shutdown(soon()); // idempotent
    assert.equal(store.byId.size, 20);
    await assertCommittedToEnd(kafka, config.groupId, topic);
  });

  it('resumes from the committed offset after a restart; a batch stored but not committed comes again and its ids absorb it', async () => {
    const { topic, config } = scenario('restart');
    topics.push(topic);
    await createTopic(kafka, topic, { partitions: 2 });
    const first = Array.from({ length: 100 }, (_, i) => makeLog({ sourceKey: `k${i % 2}` }));
    await produceRaw(
      kafka,
      topic,
      first.map((e) => ({ key: e.sourceKey, value: encodeInternalEvent(e) })),
    );

    // 1. A clean run that stores and commits everything, then stops.
    const shared = new RecordingEventStore();
    const a = source(kafka, config, internalDecoders(topic), shared);
    await a.source.start();
    await waitFor(() => shared.byId.size === 100, 'first run to store 100');
    await a.source.shutdown(soon());
    await assertCommittedToEnd(kafka, config.groupId, topic);

    // 2. A restart reads only what came after the commit; its store "crashes" between writing and returning.
    const second = Array.from({ length: 100 }, (_, i) => makeLog({ sourceKey: `k${i % 2}` }));
    await produceRaw(
      kafka,
      topic,
      second.map((e) => ({ key: e.sourceKey, value: encodeInternalEvent(e) })),
    );
    const crashing = new RecordingEventStore();
    let release!: () => void;
    const hung = new Promise<void>((resolve) => (release = resolve));
    let hungBatch: string[] = [];
    crashing.before = async (call, batch) => {
      for (const e of batch) shared.byId.set(e.id, e); // written...
      if (call > 1) return;
      hungBatch = batch.map((e) => e.id);
      await hung; // ...but never acknowledged: the process "dies" here, before its commit
    };
    const b = source(kafka, config, internalDecoders(topic), crashing);
    await b.source.start();
    await waitFor(() => crashing.calls >= 1, 'the restarted consumer to receive a batch');
    assert.ok(
      hungBatch.every((id) => !first.some((f) => f.id === id)),
      'nothing before the commit is read again',
    );

    // 3. Another replica takes over once the hung member's session expires, and reads that batch again.
    const c = source(kafka, config, internalDecoders(topic), shared);
    stoppers.push(c.source);
    await c.source.start();
    const redelivered = (): boolean => hungBatch.every((id) => shared.appended.some((e) => e.id === id));
    await waitFor(() => shared.byId.size === 200 && redelivered(), 'the takeover to store the rest', 60_000);
    release();
    await b.source.shutdown(soon()).catch(() => {});
    await waitFor(() => committedToEnd(kafka, config.groupId, topic), 'the takeover to commit everything');
    assert.equal(shared.byId.size, 200, 'every event stored, duplicates absorbed by id');
  });
});
