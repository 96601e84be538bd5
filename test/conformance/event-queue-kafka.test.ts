import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createPipelineMetrics } from '../../src/core/counters.ts';
import type { Rejection, TributaryEvent } from '../../src/core/event.ts';
import { KafkaQueue } from '../../src/pipeline/kafka-queue.ts';
import type { AppendResult, DeadLetterStore, EventStore } from '../../src/store/event-store.ts';
import { createDefaultKafkaConfig } from '../../src/sources/kafka/config.ts';
import { createInternalEventDecoder } from '../../src/sources/kafka/internal-event-codec.ts';
import { createKafkaClient } from '../../src/sources/kafka/kafka-client.ts';
import { KafkaSource } from '../../src/sources/kafka/kafka-source.ts';
import { requireServer } from '../support/servers.ts';
import { eventQueueConformance } from './event-queue.conformance.ts';

/** The in-memory sink: keeps every append (duplicates included, the suite checks them), idempotent count. */
class MemoryEventStore implements Pick<EventStore, 'append'> {
  readonly appended: TributaryEvent[] = [];
  private readonly ids = new Set<string>();

  async append(events: readonly TributaryEvent[]): Promise<AppendResult> {
    let stored = 0;
    for (const event of events) {
      this.appended.push(event);
      if (!this.ids.has(event.id)) stored += 1;
      this.ids.add(event.id);
    }
    return { stored };
  }
}

class MemoryDeadLetters implements DeadLetterStore {
  readonly kept: Rejection[] = [];
  async keep(rejections: readonly Rejection[]): Promise<void> {
    this.kept.push(...rejections);
  }
}

const server = requireServer('kafka');
const run = randomUUID().slice(0, 8);
let harnesses = 0;

eventQueueConformance(
  'Kafka (KafkaQueue -> internal topic -> KafkaSource)',
  async () => {
    harnesses += 1;
    const logger = pino({ level: 'silent' });
    const config = createDefaultKafkaConfig(server.url ?? '', {
      clientId: `tributary-conformance-${run}`,
      groupId: `tributary-conformance-${run}-${harnesses}`,
      topics: { events: `tributary.events.conformance-${run}-${harnesses}` },
      internalTopicPartitions: 4,
    });
    const kafka = createKafkaClient(config, logger);
    const store = new MemoryEventStore();
    const queue = new KafkaQueue(kafka, config, logger);
    const source = new KafkaSource({
      kafka,
      config,
      decoders: new Map([
        [config.topics.events, createInternalEventDecoder({ maxRecordBytes: config.maxInternalRecordBytes })],
      ]),
      store,
      deadLetters: new MemoryDeadLetters(),
      metrics: createPipelineMetrics(new Registry()),
      logger,
    });
    await queue.start();
    await source.start();
    let closing: Promise<void> | null = null;
    return {
      queue,
      stored: () => store.appended,
      close: () =>
        (closing ??= (async () => {
          const deadline = Date.now() + 15_000;
          await queue.shutdown(deadline);
          await source.shutdown(deadline);
          const admin = kafka.admin();
          await admin.connect();
          await admin.deleteTopics({ topics: [config.topics.events] });
          await admin.disconnect();
        })()),
    };
  },
  { skip: server.skip, deliveryTimeoutMs: 60_000 },
);
