import { z } from 'zod';

/**
 * Topic names, one per input format. Defaults:
 * - `tributary.events`: normalized events (JSON of a TributaryEvent) produced by HTTP ingest in distributed
 *   mode (KafkaQueue) and consumed by every replica's KafkaSource.
 * - `logstash`: Logstash's kafka output with `codec => json` (plain codec lines when logstash.plainLines).
 * - `cadvisor`: cAdvisor's Kafka storage driver (`-storage_driver=kafka`) container-stats JSON.
 * - `nagios`: Nagios check results / perfdata lines.
 * - `pinpoint`: Pinpoint span / span-event JSON.
 */
export const DEFAULT_TOPICS = {
  events: 'tributary.events',
  logstash: 'logstash',
  cadvisor: 'cadvisor',
  nagios: 'nagios',
  pinpoint: 'pinpoint',
} as const;

const topicName = z
  .string()
  .regex(/^[a-zA-Z0-9._-]{1,249}$/, 'a Kafka topic name is 1-249 of [a-zA-Z0-9._-]');

const positiveInt = z.coerce.number().int().positive();

/** `host:port,host:port` -> list; every entry must name a port. */
export const brokerList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(',')).map((b) => b.trim()).filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'a broker is host:port')).min(1, 'no broker given'));

/**
 * The distributed mode's Kafka settings with their defaults, in one place. Only `brokers` is required
 * (TRIBUTARY_KAFKA_BROKERS); everything else has a default that fits a small cluster.
 */
export const kafkaConfigSchema = z
  .object({
    brokers: brokerList,
    clientId: z.string().min(1).default('tributary'),
    /** One consumer group for every replica, so partitions are spread and each record is stored once. */
    groupId: z.string().min(1).default('tributary'),
    topics: z
      .object({
        events: topicName.default(DEFAULT_TOPICS.events),
        logstash: topicName.default(DEFAULT_TOPICS.logstash),
        cadvisor: topicName.default(DEFAULT_TOPICS.cadvisor),
        nagios: topicName.default(DEFAULT_TOPICS.nagios),
        pinpoint: topicName.default(DEFAULT_TOPICS.pinpoint),
      })
      .strict()
      .default({}),
    /** Partitions of the internal topic when Tributary creates it (more partitions, more replicas useful). */
    internalTopicPartitions: positiveInt.default(12),
    /** A new consumer group starts at the oldest record, so nothing produced before first start is lost. */
    fromBeginning: z.boolean().default(true),
    consumer: z
      .object({
        /** Batches of different partitions processed at once (never two of one partition). */
        partitionsConsumedConcurrently: positiveInt.default(4),
        /**
         * Records decoded and written to the store at once, then committed; also the heartbeat cadence
         * of a large batch. Matches pipeline.batchSize.
         */
        recordsPerWrite: positiveInt.default(2000),
        /** Fetch size per partition; a larger record still arrives alone (broker returns at least one). */
        maxBytesPerPartition: positiveInt.default(4 * 1024 * 1024),
        /** Longest a fetch waits for data; also bounds how long shutdown waits for an idle fetch. */
        maxWaitTimeMs: positiveInt.default(1_000),
        sessionTimeoutMs: positiveInt.default(30_000),
        heartbeatIntervalMs: positiveInt.default(3_000),
        /** First and largest pause between attempts to store a batch the store refused. */
        retryInitialMs: positiveInt.default(200),
        retryMaxMs: positiveInt.default(30_000),
      })
      .strict()
      .default({}),
    producer: z
      .object({
        /** Events produced but not yet acknowledged before `offer` answers QueueFull (backpressure). */
        capacity: positiveInt.default(100_000),
        /** Bytes of values per produce request; keeps each partition's record batch under the broker limit. */
        maxRequestBytes: positiveInt.default(900 * 1024),
        /** Largest single serialized event; the broker default `message.max.bytes` is about 1 MB. */
        maxMessageBytes: positiveInt.default(1_000_000),
      })
      .strict()
      .default({}),
    /** Largest normalized event accepted from the internal topic; larger ones are dead letters. */
    maxInternalRecordBytes: positiveInt.default(1024 * 1024),
  })
  .strict();

export type KafkaConfig = z.output<typeof kafkaConfigSchema>;
export type KafkaConfigInput = z.input<typeof kafkaConfigSchema>;

/** Every default, with the given brokers (`host:port,...`). Throws a ZodError listing every problem. */
export function createDefaultKafkaConfig(
  brokers: string | string[],
  overrides: Omit<KafkaConfigInput, 'brokers'> = {},
): KafkaConfig {
  return kafkaConfigSchema.parse({ ...overrides, brokers });
}
