import { trace } from '@opentelemetry/api';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { ComponentCounters, PipelineMetrics } from '../../core/counters.ts';
import type { ParseResult, TributaryEvent } from '../../core/event.ts';
import { withDeadline, type Component } from '../../core/lifecycle.ts';
import type { DeadLetterStore, EventStore } from '../../store/event-store.ts';
import type { KafkaConfig } from './config.ts';
import { ConsumerLag } from './consumer-lag.ts';
import { decodeBatch } from './decode-batch.ts';
import type { KafkaRecordDecoder } from './record-decoder.ts';
import { retryUntilDone } from './retry-backoff.ts';

export interface KafkaSourceOptions {
  kafka: Kafka;
  config: KafkaConfig;
  /** Topic -> decoder; the source subscribes to exactly these topics. */
  decoders: ReadonlyMap<string, KafkaRecordDecoder>;
  /** Where events go; `append` must be idempotent by event id (redelivered records are appended again). */
  store: Pick<EventStore, 'append'>;
  deadLetters: DeadLetterStore;
  metrics: PipelineMetrics;
  logger: Logger;
}

/** How long before the shutdown deadline a failing store stops being retried, so disconnect fits in. */
const GIVE_UP_MARGIN_MS = 500;

/**
 * Consumes every Kafka input (the internal topic and the per-format topics) in one consumer group and
 * stores what it decodes. At-least-once: a batch's offsets are committed only after its events are in the
 * store and its rejections in the dead-letter store; redelivery after a crash or rebalance is absorbed by
 * the store's idempotent ids. A failing store stalls the partition (retried with backoff, never skipped);
 * a bad record never does (it is a dead letter, and the offset moves past it).
 */
export class KafkaSource implements Component {
  readonly name = 'kafka-source';
  readonly lag = new ConsumerLag();
  private readonly consumer: Consumer;
  private readonly counters: ComponentCounters;
  private readonly log: Logger;
  private readonly tracer = trace.getTracer('tributary.kafka');
  /** Aborted near the shutdown deadline: stops retrying a store that keeps failing. */
  private readonly giveUp = new AbortController();
  private started = false;
  private stopping: Promise<void> | null = null;

  constructor(private readonly options: KafkaSourceOptions) {
    const { config } = options;
    this.consumer = options.kafka.consumer({
      groupId: config.groupId,
      sessionTimeout: config.consumer.sessionTimeoutMs,
      heartbeatInterval: config.consumer.heartbeatIntervalMs,
      maxBytesPerPartition: config.consumer.maxBytesPerPartition,
      maxWaitTimeInMs: config.consumer.maxWaitTimeMs,
      // kafkajs restarts a crashed consumer (it rejoins and resumes from the committed offsets).
      retry: { restartOnFailure: async () => true },
    });
    this.counters = options.metrics.forComponent('kafka');
    this.log = options.logger.child({ component: this.name });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      this.counters.error();
      this.log.error({ err: payload.error, restart: payload.restart }, 'kafka consumer crashed');
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.lag.retain(payload.memberAssignment);
      this.log.info(
        { memberId: payload.memberId, assignment: payload.memberAssignment },
        'joined the consumer group',
      );
    });
  }

  async start(): Promise<void> {
    if (this.stopping) throw new Error('KafkaSource: start() after shutdown()');
    const topics = [...this.options.decoders.keys()];
    if (topics.length === 0) throw new Error('KafkaSource: no topic to consume (the decoder map is empty)');
    this.started = true;
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: this.options.config.fromBeginning });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.config.consumer.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.log.info({ topics, groupId: this.options.config.groupId }, 'consuming');
  }

  /**
   * Stops fetching, lets the batch in hand finish and commit, leaves the group, disconnects. Idempotent
   * (later calls share the first call's work); safe without `start()`.
   */
  shutdown(deadline: number): Promise<void> {
    this.stopping ??= this.stop(deadline);
    return this.stopping;
  }

  private async stop(deadline: number): Promise<void> {
    if (!this.started) return;
    const timer = setTimeout(
      () => this.giveUp.abort(),
      Math.max(0, deadline - Date.now() - GIVE_UP_MARGIN_MS),
    );
    try {
      await withDeadline(this.consumer.disconnect(), deadline, 'kafka consumer disconnect');
    } finally {
      clearTimeout(timer);
      this.giveUp.abort();
    }
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    // Stopping, or the partition was re-seeked: start nothing new; these offsets are fetched again.
    if (batch.isEmpty() || !payload.isRunning() || payload.isStale()) return;
    if (!this.options.decoders.has(batch.topic)) return; // unreachable: we subscribe to the map's keys
    await this.tracer.startActiveSpan('kafka.batch', async (span) => {
      span.setAttributes({
        'messaging.destination.name': batch.topic,
        'messaging.kafka.destination.partition': batch.partition,
        'messaging.batch.message_count': batch.messages.length,
      });
      try {
        this.counters.received(batch.messages.length);
        const size = this.options.config.consumer.recordsPerWrite;
        for (let from = 0; from < batch.messages.length; from += size) {
          const slice = batch.messages.slice(from, from + size);
          const isLast = from + size >= batch.messages.length;
          if (!(await this.storeSlice(payload, slice, isLast))) return;
        }
      } finally {
        span.end();
      }
    });
  }

  /**
   * Decodes and stores one slice of a batch, then commits past it and heartbeats. Slices bound how long
   * one store write holds the event loop (better-sqlite3 writes synchronously; kafkajs only heartbeats
   * between our awaits), so a large batch neither expires the session nor redelivers what was stored.
   * False when the rest of the batch must be left (not stored, or the partition is no longer ours).
   */
  private async storeSlice(
    payload: EachBatchPayload,
    messages: EachBatchPayload['batch']['messages'],
    isLast: boolean,
  ): Promise<boolean> {
    const { batch } = payload;
    const decoded = decodeBatch(batch.topic, batch.partition, messages, this.decoderOf(batch.topic));
    // Not stored (shutdown gave up) or partition re-seeked: leave the offsets alone, so the same
    // records are fetched again, here or by the partition's next owner.
    if (!(await this.storeDecoded(decoded, payload)) || payload.isStale()) return false;
    // The batch's last offset may lie past its last message (transaction markers): commit up to it.
    const last = isLast ? batch.lastOffset() : (messages[messages.length - 1]?.offset ?? batch.lastOffset());
    payload.resolveOffset(last);
    const next = (BigInt(last) + 1n).toString();
    await payload.commitOffsetsIfNecessary({
      topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }],
    });
    this.lag.record(batch.topic, batch.partition, batch.highWatermark, last);
    // Throws when the group rebalances: what was stored is committed, the rest goes to the next owner.
    await payload.heartbeat();
    return !this.giveUp.signal.aborted;
  }

  private decoderOf(topic: string): KafkaRecordDecoder {
    return this.options.decoders.get(topic) as KafkaRecordDecoder;
  }

  /** Dead letters first, then events; retried until both are durable or shutdown gives up. */
  private async storeDecoded(
    decoded: ParseResult<TributaryEvent>,
    payload: EachBatchPayload,
  ): Promise<boolean> {
    const { topic, partition } = payload.batch;
    let lettersKept = decoded.rejections.length === 0;
    const stored = await retryUntilDone(
      async () => {
        // Kept once per batch even when the event append is what failed: the dead-letter store is not
        // idempotent, a retry must not keep the same rejection twice.
        if (!lettersKept) {
          await this.options.deadLetters.keep(decoded.rejections);
          lettersKept = true;
          for (const r of decoded.rejections) this.counters.rejected(r.reason);
        }
        if (decoded.events.length > 0) await this.options.store.append(decoded.events);
      },
      {
        initialMs: this.options.config.consumer.retryInitialMs,
        maxMs: this.options.config.consumer.retryMaxMs,
        signal: this.giveUp.signal,
        // Heartbeats keep the partition while the store is down; a rebalance ends the retries by throwing
        // (the batch is not committed, so the partition's next owner reads it again).
        between: () => payload.heartbeat(),
        onFailure: (err, attempt, delayMs) => {
          this.counters.error();
          this.log.warn({ err, topic, partition, attempt, delayMs }, 'store refused a batch; retrying');
        },
      },
    );
    if (stored) this.counters.sent(decoded.events.length);
    return stored;
  }
}
