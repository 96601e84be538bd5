import type { Admin, IHeaders, Kafka } from 'kafkajs';
import type { Rejection, TributaryEvent } from '../../core/event.ts';
import type { AppendResult, DeadLetterStore, EventStore } from '../../store/event-store.ts';

/**
 * Test doubles and helpers for the Kafka tests and the bench (as the Collector ships `consumertest`):
 * an idempotent in-memory event store that records every append, a dead-letter store, topic helpers.
 */
export class RecordingEventStore implements Pick<EventStore, 'append'> {
  /** Every event of every successful append, in order, duplicates included. */
  readonly appended: TributaryEvent[] = [];
  readonly byId = new Map<string, TributaryEvent>();
  /** Calls so far, failed ones included. */
  calls = 0;
  /** Runs before each append; a throw makes that append fail (nothing is stored). */
  before: (call: number, events: readonly TributaryEvent[]) => Promise<void> = async () => {};

  async append(events: readonly TributaryEvent[]): Promise<AppendResult> {
    this.calls += 1;
    await this.before(this.calls, events);
    let stored = 0;
    for (const event of events) {
      this.appended.push(event);
      if (!this.byId.has(event.id)) stored += 1;
      this.byId.set(event.id, event);
    }
    return { stored };
  }
}

export class RecordingDeadLetters implements DeadLetterStore {
  readonly kept: Rejection[] = [];
  async keep(rejections: readonly Rejection[]): Promise<void> {
    this.kept.push(...rejections);
  }
}

/** Polls `condition` every 25 ms until true; throws with `what` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string | (() => string),
  timeoutMs = 30_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function withAdmin<T>(kafka: Kafka, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

export async function createTopic(
  kafka: Kafka,
  topic: string,
  options: { partitions?: number; maxMessageBytes?: number } = {},
): Promise<void> {
  await withAdmin(kafka, async (admin) => {
    await admin.createTopics({
      waitForLeaders: false,
      topics: [
        {
          topic,
          numPartitions: options.partitions ?? 1,
          configEntries:
            options.maxMessageBytes === undefined
              ? []
              : [{ name: 'max.message.bytes', value: String(options.maxMessageBytes) }],
        },
      ],
    });
    // Right after creation the metadata may not list the topic yet; wait until every partition has a leader.
    await waitFor(async () => {
      try {
        const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
        const partitions = topics[0]?.partitions ?? [];
        return partitions.length === (options.partitions ?? 1) && partitions.every((p) => p.leader >= 0);
      } catch {
        return false;
      }
    }, `topic ${topic} to have leaders`);
  });
}

export async function deleteTopics(kafka: Kafka, topics: string[]): Promise<void> {
  await withAdmin(kafka, (admin) => admin.deleteTopics({ topics }));
}

/** Committed offset per partition of `topic` for `groupId` (-1 when none). */
export async function committedOffsets(
  kafka: Kafka,
  groupId: string,
  topic: string,
): Promise<Map<number, bigint>> {
  const [entry] = await withAdmin(kafka, (admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
  return new Map((entry?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
}

/** True when `groupId` committed every partition of `topic` up to its end (empty partitions need none). */
export async function committedToEnd(kafka: Kafka, groupId: string, topic: string): Promise<boolean> {
  const [committed, end] = [await committedOffsets(kafka, groupId, topic), await endOffsets(kafka, topic)];
  return [...end].every(([partition, high]) => high === 0n || committed.get(partition) === high);
}

/** Next offset to be written per partition (the high watermark). */
export async function endOffsets(kafka: Kafka, topic: string): Promise<Map<number, bigint>> {
  const offsets = await withAdmin(kafka, (admin) => admin.fetchTopicOffsets(topic));
  return new Map(offsets.map((p) => [p.partition, BigInt(p.high)]));
}

export interface RawRecord {
  key?: string | null;
  value: Buffer | string | null;
  partition?: number;
  headers?: IHeaders;
}

/** Produces raw records (bytes as given, not normalized events), acknowledged by all replicas. */
export async function produceRaw(kafka: Kafka, topic: string, records: readonly RawRecord[]): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let i = 0; i < records.length; i += 5000) {
      await producer.send({ topic, acks: -1, messages: records.slice(i, i + 5000).map((r) => ({ ...r })) });
    }
  } finally {
    await producer.disconnect();
  }
}
