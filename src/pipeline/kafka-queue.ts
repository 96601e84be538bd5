import type { Kafka, Message, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { TributaryEvent } from '../core/event.ts';
import { withDeadline, type Component } from '../core/lifecycle.ts';
import type { KafkaConfig } from '../sources/kafka/config.ts';
import { encodeInternalEvent, internalEventKey } from '../sources/kafka/internal-event-codec.ts';
import { QueueClosed, QueueFull, type EventQueue } from './event-queue.ts';

/**
 * Kafka did not acknowledge (broker unreachable, timeouts after the client's retries): nothing is promised,
 * the caller should retry later. A QueueFull, so HTTP callers get 503 + Retry-After as for backpressure;
 * a retry is safe since events have deterministic ids. (`name` stays 'QueueFull': the base fixes its type.)
 */
export class QueueUnavailable extends QueueFull {}

/** One event serializes larger than the broker accepts; the whole offer is refused, nothing is produced. */
export class EventTooLarge extends Error {
  override readonly name = 'EventTooLarge';
}

interface Offer {
  resolve: () => void;
  reject: (err: unknown) => void;
  /** Chunks not yet acknowledged; resolved at 0. */
  remaining: number;
  failed: boolean;
  events: number;
}

interface Chunk {
  offer: Offer;
  messages: Message[];
  bytes: number;
}

/**
 * The distributed mode's queue: `offer` produces the events to the internal topic with an idempotent
 * producer (acks=all, one request in flight, so retries neither duplicate nor reorder) and resolves when
 * the broker acknowledged them, which is when they are durable. The KafkaSource of some replica stores them.
 * Concurrent offers are coalesced into produce requests of at most `maxRequestBytes` (group commit).
 */
export class KafkaQueue implements EventQueue, Component {
  readonly name = 'kafka-queue';
  private readonly producer: Producer;
  private readonly waiting: Chunk[] = [];
  private pending = 0;
  private closed = false;
  private ready: Promise<void> | null = null;
  private draining: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly config: KafkaConfig,
    private readonly logger?: Logger,
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
  }

  get topic(): string {
    return this.config.topics.events;
  }

  /** Events offered and not yet acknowledged by Kafka. */
  get depth(): number {
    return this.pending;
  }

  /** Connects the producer and creates the internal topic when it does not exist. */
  start(): Promise<void> {
    this.ready ??= this.connect();
    return this.ready;
  }

  private async connect(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(this.topic)) {
        await admin.createTopics({
          topics: [{ topic: this.topic, numPartitions: this.config.internalTopicPartitions }],
          waitForLeaders: true,
        });
      }
    } finally {
      await admin.disconnect();
    }
    await this.producer.connect();
  }

  offer(batch: readonly TributaryEvent[]): Promise<void> {
    if (this.closed) return Promise.reject(new QueueClosed('shutting down: not accepting new events'));
    if (batch.length === 0) return Promise.resolve();
    if (this.ready === null) return Promise.reject(new QueueClosed('the Kafka queue was not started'));
    const { capacity } = this.config.producer;
    if (this.pending + batch.length > capacity && this.pending > 0) {
      return Promise.reject(
        new QueueFull(`${this.pending} events are waiting for Kafka (capacity ${capacity}); retry later`),
      );
    }
    let chunks: Omit<Chunk, 'offer'>[];
    try {
      chunks = this.toChunks(batch);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<void>((resolve, reject) => {
      const offer: Offer = { resolve, reject, remaining: chunks.length, failed: false, events: batch.length };
      for (const chunk of chunks) this.waiting.push({ ...chunk, offer });
      this.pending += batch.length;
      this.draining ??= this.drain();
    });
  }

  /** Serializes and splits into chunks of at most `maxRequestBytes`, refusing any oversized event. */
  private toChunks(batch: readonly TributaryEvent[]): Omit<Chunk, 'offer'>[] {
    const { maxRequestBytes, maxMessageBytes } = this.config.producer;
    const chunks: Omit<Chunk, 'offer'>[] = [];
    let current: Omit<Chunk, 'offer'> = { messages: [], bytes: 0 };
    for (const event of batch) {
      const value = encodeInternalEvent(event);
      const bytes = Buffer.byteLength(value);
      if (bytes > maxMessageBytes) {
        throw new EventTooLarge(
          `event ${event.id} is ${bytes} bytes as JSON, over the ${maxMessageBytes} limit`,
        );
      }
      if (current.messages.length > 0 && current.bytes + bytes > maxRequestBytes) {
        chunks.push(current);
        current = { messages: [], bytes: 0 };
      }
      current.messages.push({ key: internalEventKey(event), value });
      current.bytes += bytes;
    }
    chunks.push(current);
    return chunks;
  }

  private async drain(): Promise<void> {
    try {
      await this.ready;
      while (this.waiting.length > 0) await this.sendRequest(this.takeRequest());
    } finally {
      // Cleared in the same synchronous step that found nothing waiting (no await in between): an offer
      // made by a caller resumed by the last resolve() then starts a new drain instead of waiting forever.
      this.draining = null;
    }
  }

  private async sendRequest(taken: Chunk[]): Promise<void> {
    const live = taken.filter((c) => !c.offer.failed);
    if (live.length === 0) return;
    try {
      await this.producer.send({
        topic: this.topic,
        acks: -1,
        messages: live.length === 1 ? (live[0] as Chunk).messages : live.flatMap((c) => c.messages),
      });
    } catch (err) {
      this.logger?.error({ err, topic: this.topic }, 'kafka did not acknowledge produced events');
      const cause = err instanceof Error ? err.message : String(err);
      const failure = new QueueUnavailable(`Kafka did not acknowledge the events: ${cause}`, { cause: err });
      for (const chunk of live) this.settle(chunk.offer, failure);
      return;
    }
    for (const chunk of live) this.settle(chunk.offer, null);
  }

  /** Chunks from the head of the queue that fit in one produce request (at least one). */
  private takeRequest(): Chunk[] {
    const taken: Chunk[] = [];
    let bytes = 0;
    while (this.waiting.length > 0) {
      const next = this.waiting[0] as Chunk;
      if (taken.length > 0 && bytes + next.bytes > this.config.producer.maxRequestBytes) break;
      taken.push(next);
      bytes += next.bytes;
      this.waiting.shift();
    }
    return taken;
  }

  private settle(offer: Offer, failure: Error | null): void {
    if (offer.failed) return;
    if (failure !== null) {
      // Chunks of this offer still waiting are dropped from the next requests: the caller retries it all.
      offer.failed = true;
      this.pending -= offer.events;
      offer.reject(failure);
      return;
    }
    offer.remaining -= 1;
    if (offer.remaining === 0) {
      this.pending -= offer.events;
      offer.resolve();
    }
  }

  /** Stops intake, waits until every accepted offer is acknowledged (or failed), disconnects. Idempotent. */
  shutdown(deadline: number): Promise<void> {
    this.stopping ??= this.stop(deadline);
    return this.stopping;
  }

  private async stop(deadline: number): Promise<void> {
    this.closed = true;
    try {
      while (this.draining) await withDeadline(this.draining, deadline, 'kafka queue drain');
    } finally {
      await this.producer.disconnect();
    }
  }
}
