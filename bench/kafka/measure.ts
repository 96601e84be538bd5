import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { createPipelineMetrics } from '../../src/core/counters.ts';
import type { TributaryEvent } from '../../src/core/event.ts';
import { instantFromUnixMillis, nowInstant } from '../../src/core/time.ts';
import type { AppendResult, DeadLetterStore, EventStore } from '../../src/store/event-store.ts';
import { simulateLogstashFleet } from '../../src/simulate/logstash-fleet.ts';
import { parseLogstashBody } from '../../src/sources/logstash/parse-events.ts';
import { createDefaultKafkaConfig } from '../../src/sources/kafka/config.ts';
import { KafkaSource } from '../../src/sources/kafka/kafka-source.ts';
import type { KafkaRecordDecoder } from '../../src/sources/kafka/record-decoder.ts';

export interface BenchRow {
  scenario: string;
  records: number;
  seconds: number;
  perSecond: number;
  /** Process CPU (user + system) per wall second: 1.0 = one core busy. */
  cpu: number;
  note: string;
}

function row(scenario: string, records: number, ms: number, cpu: NodeJS.CpuUsage, note: string): BenchRow {
  const seconds = ms / 1000;
  return {
    scenario,
    records,
    seconds,
    perSecond: records / seconds,
    cpu: (cpu.user + cpu.system) / 1e6 / seconds,
    note,
  };
}

/** `count` Logstash json-codec values from the demo's simulated fleet (ECS shape, traced requests). */
export function logstashValues(count: number, seed = 11): string[] {
  const values: string[] = [];
  for (let round = 0; values.length < count; round += 1) {
    const logs = simulateLogstashFleet({
      seed: seed + round,
      requests: Math.ceil((count - values.length) / 10) + 1,
      skewMs: 200,
      startMs: Date.now() - 3_600_000,
    });
    for (const { record } of logs) {
      if (values.length === count) break;
      values.push(JSON.stringify(record));
    }
  }
  return values;
}

/** Produces the values round-robin (no key, as Logstash's kafka output by default), acks=all. */
export async function produceValues(
  kafka: Kafka,
  topic: string,
  values: readonly string[],
): Promise<BenchRow> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const chunk = 2000;
  const inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < values.length; i += chunk) {
    inFlight.push(
      producer.send({ topic, acks: -1, messages: values.slice(i, i + chunk).map((value) => ({ value })) }),
    );
    if (inFlight.length >= 4) await inFlight.shift();
  }
  await Promise.all(inFlight);
  const result = row(
    'produce (kafkajs, acks=all, 2000/request, 4 in flight)',
    values.length,
    performance.now() - t0,
    process.cpuUsage(cpu),
    'setup',
  );
  await producer.disconnect();
  return result;
}

/** Baseline: a kafkajs consumer whose eachBatch only counts. Timed from the group join to the last batch. */
export async function measureConsumeOnly(
  kafka: Kafka,
  topic: string,
  count: number,
  concurrency: number,
): Promise<BenchRow> {
  const consumer = kafka.consumer({
    groupId: `${topic}-consume-only`,
    maxBytesPerPartition: 4 * 1024 * 1024,
    maxWaitTimeInMs: 1000,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let finish!: (at: number) => void;
  const done = new Promise<number>((resolve) => (finish = resolve));
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: concurrency,
    eachBatch: async ({ batch }) => {
      seen += batch.messages.length;
      if (seen >= count) finish(performance.now());
    },
  });
  // run() resolves once the group is joined: the clock covers fetching and handing over only.
  const t0 = performance.now();
  const cpu = process.cpuUsage();
  const last = await done;
  const result = row(
    'kafkajs consume only (eachBatch counts)',
    seen,
    last - t0,
    process.cpuUsage(cpu),
    'baseline',
  );
  await consumer.disconnect();
  return result;
}

/**
 * Counts what reaches the store; the bench is over when `count` distinct events were appended
 * (a redelivery after a rebalance appends some twice: they cost time but do not count).
 */
class CountingStore implements Pick<EventStore, 'append'> {
  appended = 0;
  readonly ids = new Set<string>();
  readonly batchSizes: number[] = [];
  onDone: (() => void) | null = null;
  constructor(
    private readonly inner: Pick<EventStore, 'append'>,
    private readonly count: number,
  ) {}
  async append(events: readonly TributaryEvent[]): Promise<AppendResult> {
    const result = await this.inner.append(events);
    this.appended += events.length;
    for (const event of events) this.ids.add(event.id);
    this.batchSizes.push(events.length);
    if (this.ids.size >= this.count) this.onDone?.();
    return result;
  }
}

/** The Logstash topic's decoder as the wiring builds it: Kafka offset as sequence, record time as receive time. */
export const logstashDecoder: KafkaRecordDecoder = (value, meta) =>
  parseLogstashBody(value.toString('utf8'), {
    receivedAt: instantFromUnixMillis(Number(meta.timestamp)) ?? nowInstant(),
    transportSequence: meta.offset,
  });

/**
 * KafkaSource -> Logstash parser -> `store`, timed from the group join to the `count`-th event. Any
 * EventStore fits (the Elasticsearch store can be measured by passing it here).
 */
export async function measureSourceToStore(options: {
  kafka: Kafka;
  brokers: string;
  topic: string;
  count: number;
  concurrency: number;
  scenario: string;
  store: Pick<EventStore, 'append'>;
  deadLetters: DeadLetterStore;
  logger: Logger;
}): Promise<BenchRow & { batchSizes: number[] }> {
  const config = createDefaultKafkaConfig(options.brokers, {
    groupId: `${options.topic}-${options.scenario.replace(/\W+/g, '-')}`,
    consumer: { partitionsConsumedConcurrently: options.concurrency },
  });
  const counting = new CountingStore(options.store, options.count);
  const finished = new Promise<number>((resolve) => (counting.onDone = () => resolve(performance.now())));
  const source = new KafkaSource({
    kafka: options.kafka,
    config,
    decoders: new Map([[options.topic, logstashDecoder]]),
    store: counting,
    deadLetters: options.deadLetters,
    metrics: createPipelineMetrics(new Registry()),
    logger: options.logger,
  });
  await source.start(); // resolves once the group is joined, as in measureConsumeOnly
  const t0 = performance.now();
  const cpu = process.cpuUsage();
  const last = await finished;
  const redelivered = counting.appended - counting.ids.size;
  const result = row(
    options.scenario,
    counting.ids.size,
    last - t0,
    process.cpuUsage(cpu),
    `${redelivered} appended twice (redelivered)`,
  );
  await source.shutdown(Date.now() + 15_000);
  return { ...result, batchSizes: counting.batchSizes };
}

/** The store's own ceiling: the same values parsed and appended in the same batch sizes, without Kafka. */
export async function measureStoreAlone(
  scenario: string,
  values: readonly string[],
  batchSizes: readonly number[],
  store: Pick<EventStore, 'append'>,
): Promise<BenchRow> {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  let done = 0;
  for (const size of batchSizes) {
    const events: TributaryEvent[] = [];
    for (const [i, value] of values.slice(done, done + size).entries()) {
      const meta = {
        topic: 'bench',
        partition: 0,
        offset: String(done + i),
        key: null,
        timestamp: String(Date.now()),
      };
      events.push(...logstashDecoder(Buffer.from(value), meta).events);
    }
    await store.append(events);
    done += size;
  }
  return row(scenario, done, performance.now() - t0, process.cpuUsage(cpu), 'store ceiling');
}

/** A store that keeps nothing: isolates the source's own cost (fetch, decode, commit). */
export const discardingStore: Pick<EventStore, 'append'> = { append: async () => ({ stored: 0 }) };

export function printTable(rows: readonly BenchRow[], baseline: BenchRow): void {
  const lines = [
    ['scenario', 'records', 'seconds', 'records/s', 'CPU cores', 'vs baseline', 'note'],
    ...rows.map((r) => [
      r.scenario,
      String(r.records),
      r.seconds.toFixed(2),
      Math.round(r.perSecond).toLocaleString('en-US'),
      r.cpu.toFixed(2),
      r === baseline || r.note === 'setup'
        ? ''
        : `${((r.perSecond / baseline.perSecond) * 100).toFixed(0)} %`,
      r.note,
    ]),
  ];
  const widths = lines[0]?.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length))) ?? [];
  for (const [n, line] of lines.entries()) {
    console.log(
      line
        .map((cell, i) => (i === 0 || i === 6 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join('  '),
    );
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}
