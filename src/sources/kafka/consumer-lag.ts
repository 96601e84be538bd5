import { Gauge, type Registry } from 'prom-client';

/**
 * Records behind the newest record, per topic-partition, as of the last stored batch: the high watermark
 * a fetch returned minus the next offset to read. Cheap (no extra requests), and stale while idle.
 */
export class ConsumerLag {
  private readonly lag = new Map<string, { topic: string; partition: number; lag: number }>();

  record(topic: string, partition: number, highWatermark: string, lastOffset: string): void {
    const behind = BigInt(highWatermark) - BigInt(lastOffset) - 1n;
    this.lag.set(`${topic}/${partition}`, { topic, partition, lag: Number(behind < 0n ? 0n : behind) });
  }

  /** Forgets partitions this member no longer owns (after a rebalance). */
  retain(assigned: Readonly<Record<string, readonly number[]>>): void {
    for (const [key, entry] of this.lag) {
      if (!assigned[entry.topic]?.includes(entry.partition)) this.lag.delete(key);
    }
  }

  entries(): { topic: string; partition: number; lag: number }[] {
    return [...this.lag.values()];
  }

  total(): number {
    let sum = 0;
    for (const entry of this.lag.values()) sum += entry.lag;
    return sum;
  }
}

/** `tributary_kafka_consumer_lag{topic,partition}` on `registry`, read from `lag` at scrape time. */
export function registerConsumerLagGauge(registry: Registry, lag: ConsumerLag): Gauge {
  return new Gauge({
    name: 'tributary_kafka_consumer_lag',
    help: 'Records in a Kafka partition not yet stored by this replica (as of its last batch).',
    labelNames: ['topic', 'partition'],
    registers: [registry],
    collect() {
      this.reset();
      for (const e of lag.entries()) this.set({ topic: e.topic, partition: String(e.partition) }, e.lag);
    },
  });
}
