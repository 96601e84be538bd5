import type { HostClock } from './host-clock.ts';
import type { SimEvent } from './ground-truth.ts';
import { lognormal, uniform } from './random.ts';

/** How events travel from the hosts to Tributary. */
export interface DeliveryOptions {
  partitions: number;
  /** Kafka partition by host (one host's events stay in order) or at random. */
  partitioning: 'host' | 'random';
  /** Each host's log shipper flushes every [min, max] ms (drawn per host). */
  logFlushMs: readonly [number, number];
  /** Each host's span exporter sends ended spans every [min, max] ms. */
  spanExportMs: readonly [number, number];
  networkMedianMs: number;
  networkSigma: number;
  /** Delay from the partition to the consumer (consumer lag), per message. */
  consumerLagMedianMs: number;
  consumerLagSigma: number;
  /** Share of shipped chunks whose first delivery fails and which are re-sent later. */
  resendShare: number;
  resendDelayMs: readonly [number, number];
  /** Share of re-sent chunks that had in fact arrived the first time (so arrive twice). */
  duplicateShare: number;
}

export interface Delivery {
  event: number;
  /** When Tributary receives it (true time, ms). */
  arrivalMs: number;
  partition: number;
  /** A second delivery of an event already delivered. */
  duplicate: boolean;
  /** Part of a chunk re-sent minutes late. */
  resent: boolean;
}

/**
 * Ships every event: logs in chunks at their host's flush ticks, spans at their exporter's ticks after
 * they end, through the network and a Kafka partition (first in, first out) to the consumer. Returns the
 * deliveries in arrival order.
 */
export function deliver(
  random: () => number,
  events: readonly SimEvent[],
  clocks: readonly HostClock[],
  options: DeliveryOptions,
): Delivery[] {
  const flush = clocks.map(() => uniform(random, options.logFlushMs[0], options.logFlushMs[1]));
  const exportEvery = clocks.map(() => uniform(random, options.spanExportMs[0], options.spanExportMs[1]));
  const phase = clocks.map(() => random());
  // Chunks: (host, kind, tick) -> shipping decision, made once per chunk.
  const chunks = new Map<
    string,
    { sentMs: number; network: number; resendAt: number | null; twice: boolean }
  >();
  const produced: {
    event: number;
    producedMs: number;
    /** When it was ready to ship: a chunk carries its lines in file order, its spans in end order. */
    readyMs: number;
    partition: number;
    duplicate: boolean;
    resent: boolean;
  }[] = [];
  const hostPartition = (host: number): number => host % options.partitions;
  events.forEach((e, index) => {
    const every = e.kind === 'log' ? (flush[e.host] as number) : (exportEvery[e.host] as number);
    const ready = e.kind === 'log' ? e.trueStartMs : e.trueEndMs;
    const offset = (phase[e.host] as number) * every;
    const tick = Math.ceil((ready - offset) / every);
    const id = `${e.host}:${e.kind}:${tick}`;
    let chunk = chunks.get(id);
    if (!chunk) {
      const failed = random() < options.resendShare;
      chunk = {
        sentMs: tick * every + offset,
        network: lognormal(random, options.networkMedianMs, options.networkSigma),
        resendAt: failed ? uniform(random, options.resendDelayMs[0], options.resendDelayMs[1]) : null,
        twice: failed && random() < options.duplicateShare,
      };
      chunks.set(id, chunk);
    }
    const partition =
      options.partitioning === 'host' ? hostPartition(e.host) : Math.floor(random() * options.partitions);
    const first = chunk.sentMs + chunk.network;
    if (chunk.resendAt === null || chunk.twice) {
      produced.push({
        event: index,
        producedMs: first,
        readyMs: ready,
        partition,
        duplicate: false,
        resent: false,
      });
    }
    if (chunk.resendAt !== null) {
      produced.push({
        event: index,
        producedMs: first + chunk.resendAt,
        readyMs: ready,
        partition,
        duplicate: chunk.twice,
        resent: true,
      });
    }
  });
  produced.sort((a, b) => a.producedMs - b.producedMs || a.readyMs - b.readyMs);
  const lastArrival = new Float64Array(options.partitions).fill(-Infinity);
  const out: Delivery[] = produced.map((p) => {
    const lag = lognormal(random, options.consumerLagMedianMs, options.consumerLagSigma);
    const arrivalMs = Math.max(lastArrival[p.partition] as number, p.producedMs + lag);
    lastArrival[p.partition] = arrivalMs;
    return { event: p.event, arrivalMs, partition: p.partition, duplicate: p.duplicate, resent: p.resent };
  });
  return out.sort((a, b) => a.arrivalMs - b.arrivalMs);
}
