import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { TributaryConfig } from '../config/schema.ts';
import type { PipelineMetrics } from '../core/counters.ts';
import type { TributaryEvent } from '../core/event.ts';
import type { Component } from '../core/lifecycle.ts';
import { instantFromUnixMillis } from '../core/time.ts';
import { parseKafkaStats } from '../sources/cadvisor/parse-kafka-stats.ts';
import type { Kafka } from 'kafkajs';
import { kafkaConfigSchema, type KafkaConfig } from '../sources/kafka/config.ts';
import { recordLocation, type KafkaRecordDecoder } from '../sources/kafka/record-decoder.ts';
import { parseLogstashBody } from '../sources/logstash/parse-events.ts';
import { parseNagiosPayload, trackChecks } from '../sources/nagios/index.ts';
import type { NagiosInput } from './build-sources.ts';
import { parsePinpointSpansText } from '../sources/pinpoint/parse-spans.ts';
import type { DeadLetterStore, EventStore } from '../store/event-store.ts';
import type { EventQueue } from './event-queue.ts';
import { InProcessQueue } from './in-process-queue.ts';

export interface QueueBackend {
  queue: EventQueue & { readonly depth?: number };
  /** True when an accepted batch is stored before `offer` resolves (embedded); false with Kafka (202). */
  storesBeforeAnswer: boolean;
  /** In shutdown order: the producer side first, then what consumes. */
  components: Component[];
}

/**
 * Embedded: an in-process queue feeding `sink`. Distributed (`kafka.brokers` set): HTTP ingest produces
 * normalized events to the internal topic, and a consumer group reads it and every input topic, stores,
 * and commits offsets only after the store acknowledged.
 */
export async function buildQueue(
  config: TributaryConfig,
  deps: {
    sink: (events: readonly TributaryEvent[]) => Promise<void>;
    store: EventStore;
    deadLetters: DeadLetterStore;
    metrics: PipelineMetrics;
    registry: Registry;
    logger: Logger;
    /** Mapping, layouts and the SOFT/HARD tracker, shared with the HTTP and tail inputs. */
    nagios: NagiosInput;
  },
): Promise<QueueBackend> {
  if (!config.kafka.brokers) {
    const queue = new InProcessQueue(deps.sink, {
      capacity: config.pipeline.queueCapacity,
      batchSize: config.pipeline.batchSize,
    });
    return { queue, storesBeforeAnswer: true, components: [queue] };
  }
  // Loaded only in distributed mode: kafkajs is slow to import and unused otherwise.
  const [
    { registerConsumerLagGauge },
    { createInternalEventDecoder },
    { createKafkaClient },
    { KafkaSource },
    { KafkaQueue },
  ] = await Promise.all([
    import('../sources/kafka/consumer-lag.ts'),
    import('../sources/kafka/internal-event-codec.ts'),
    import('../sources/kafka/kafka-client.ts'),
    import('../sources/kafka/kafka-source.ts'),
    import('./kafka-queue.ts'),
  ]);
  const kafkaConfig = kafkaConfigSchema.parse({ ...config.kafka, brokers: config.kafka.brokers });
  const kafka = createKafkaClient(kafkaConfig, deps.logger);
  const queue = new KafkaQueue(kafka, kafkaConfig, deps.logger);
  const source = new KafkaSource({
    kafka,
    config: kafkaConfig,
    decoders: inputDecoders(
      config,
      deps.nagios,
      kafkaConfig.topics,
      createInternalEventDecoder({ maxRecordBytes: kafkaConfig.maxInternalRecordBytes }),
    ),
    // The sink runs the same after-store work (service catalog) as in embedded mode.
    store: {
      append: async (events) => {
        // Nagios results of the `nagios` topic get their SOFT/HARD state here, in partition order; those
        // of the internal topic were tracked at intake, and the tracker answers a result it has seen alike.
        await deps.sink(await trackChecks(deps.nagios.tracker, events));
        return { stored: events.length };
      },
    },
    deadLetters: deps.deadLetters,
    metrics: deps.metrics,
    logger: deps.logger,
  });
  registerConsumerLagGauge(deps.registry, source.lag);
  deps.logger.info(
    { brokers: kafkaConfig.brokers, groupId: kafkaConfig.groupId, topics: kafkaConfig.topics },
    'distributed mode: Kafka',
  );
  // Start order is the reverse: topics exist, then the consumer joins, then the producer accepts.
  return { queue, storesBeforeAnswer: false, components: [queue, source, ensureTopics(kafka, kafkaConfig)] };
}

/**
 * Creates the internal topic and the input topics that do not exist yet, so the consumer can subscribe
 * before anything was produced (Kafka refuses metadata for unknown topics).
 */
function ensureTopics(kafka: Kafka, config: KafkaConfig): Component {
  return {
    name: 'kafka-topics',
    async start() {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const existing = new Set(await admin.listTopics());
        const wanted = Object.entries(config.topics).filter(([, topic]) => !existing.has(topic));
        if (wanted.length === 0) return;
        await admin.createTopics({
          waitForLeaders: true,
          topics: wanted.map(([role, topic]) => ({
            topic,
            numPartitions: role === 'events' ? config.internalTopicPartitions : -1,
          })),
        });
      } finally {
        await admin.disconnect();
      }
    },
    async shutdown() {},
  };
}

/** One decoder per topic: the internal topic's normalized events, and each input format's parser. */
function inputDecoders(
  config: TributaryConfig,
  nagios: NagiosInput,
  topics: { events: string; logstash: string; cadvisor: string; nagios: string; pinpoint: string },
  internalEvents: KafkaRecordDecoder,
): Map<string, KafkaRecordDecoder> {
  const receivedAt = (timestamp: string): string =>
    instantFromUnixMillis(Number(timestamp)) ?? (instantFromUnixMillis(Date.now()) as string);
  return new Map<string, KafkaRecordDecoder>([
    [topics.events, internalEvents],
    [
      topics.logstash,
      (value, meta) =>
        parseLogstashBody(value.toString('utf8'), {
          receivedAt: receivedAt(meta.timestamp),
          transportSequence: meta.offset,
          plainLines: config.logstash.plainLines,
        }),
    ],
    [
      topics.cadvisor,
      (value, meta) =>
        parseKafkaStats(value, {
          host: config.cadvisor.host,
          identity: config.cadvisor,
          location: recordLocation(meta),
        }),
    ],
    [
      topics.nagios,
      (value, meta) =>
        parseNagiosPayload(
          value.toString('utf8'),
          { receivedAt: receivedAt(meta.timestamp), resolveService: nagios.resolveService },
          { layouts: nagios.layouts },
        ).result,
    ],
    [
      topics.pinpoint,
      (value, meta) => parsePinpointSpansText(value.toString('utf8'), receivedAt(meta.timestamp)),
    ],
  ]);
}
