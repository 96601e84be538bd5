import { deliver, type Delivery, type DeliveryOptions } from './delivery.ts';
import { FLEET_TOPOLOGY, placeServices } from './fleet-topology.ts';
import { localMs, makeHostClock, type ClockOptions, type HostClock } from './host-clock.ts';
import { edgeFlags, startPoint, type GroundTruth, type SimEvent } from './ground-truth.ts';
import { seededRandom } from './random.ts';
import { RequestTrees, type WorkTimings } from './request-trees.ts';

/**
 * A fleet whose logs and spans are to be put in causal order: H hosts with skewed, drifting, stepping
 * clocks; requests crossing them through RPCs and messages; agents that ship in chunks, some re-sent
 * minutes late; Kafka partitions. Everything in true time, with the true happens-before graph.
 */
export interface CausalFleetOptions {
  seed: number;
  hosts: number;
  /** Simulated time over which requests start, ms. */
  durationMs: number;
  /** Target rate of events (logs and spans) per simulated second. */
  eventsPerSecond: number;
  /** True time of the first request, epoch ms. */
  startMs: number;
  clocks: ClockOptions;
  timings: WorkTimings;
  delivery: DeliveryOptions;
  /** Share of logs without trace context. */
  noTraceShare: number;
  /** Share of log files whose sequence is an emitter counter (the others: byte offsets). */
  denseSequenceShare: number;
}

export interface SimulatedFleet {
  options: CausalFleetOptions;
  events: SimEvent[];
  clocks: HostClock[];
  /** Service of each host. */
  hostServices: number[];
  truth: GroundTruth;
  /** Every delivery, in arrival order (duplicates included). */
  deliveries: Delivery[];
}

export function defaultCausalFleetOptions(): CausalFleetOptions {
  return {
    seed: 1,
    hosts: 24,
    durationMs: 20_000,
    eventsPerSecond: 50_000,
    startMs: Date.UTC(2026, 10, 24, 10, 0, 0),
    clocks: { skewMs: 200, driftPpm: 20, stepShare: 0.25, secondPrecisionShare: 0.125, hlcShare: 0 },
    timings: {
      networkMedianMs: 0.5,
      networkSigma: 0.6,
      queueMedianMs: 15,
      queueSigma: 1,
      databaseMedianMs: 2,
    },
    delivery: {
      partitions: 12,
      partitioning: 'host',
      logFlushMs: [200, 1000],
      spanExportMs: [100, 500],
      networkMedianMs: 2,
      networkSigma: 0.7,
      consumerLagMedianMs: 10,
      consumerLagSigma: 0.8,
      resendShare: 0.002,
      resendDelayMs: [60_000, 180_000],
      duplicateShare: 0.5,
    },
    noTraceShare: 0.1,
    denseSequenceShare: 0.5,
  };
}

export function simulateCausalFleet(options: CausalFleetOptions): SimulatedFleet {
  const random = seededRandom(options.seed);
  const placement = placeServices(options.hosts);
  const clocks = placement.map((p) =>
    makeHostClock(random, p.host, options.clocks, options.startMs, options.durationMs),
  );
  const hostsOfService = FLEET_TOPOLOGY.map((_, service) =>
    placement.flatMap((p, host) => (p.service === service ? [host] : [])),
  );
  const trees = new RequestTrees(random, hostsOfService, options.timings, options.noTraceShare);
  let t = options.startMs;
  let requests = 0;
  while (t < options.startMs + options.durationMs) {
    trees.request(t);
    requests += 1;
    // Poisson arrivals at the rate that gives the target event rate, learnt as requests are made.
    const perRequest = trees.events.length / requests;
    t += (-Math.log(Math.max(random(), 1e-12)) * 1000 * perRequest) / options.eventsPerSecond;
  }
  const { events } = trees;
  const edges = trees.edges;
  orderLogFiles(random, events, clocks.length, options.denseSequenceShare, edges);
  stampHybridClocks(events, clocks);
  const pointTimeMs = new Float64Array(events.length * 2).fill(Number.NaN);
  events.forEach((e, i) => {
    pointTimeMs[2 * i] = e.trueStartMs;
    if (e.kind === 'span') pointTimeMs[2 * i + 1] = e.trueEndMs;
  });
  const count = edges.length / 3;
  const truth: GroundTruth = {
    pointTimeMs,
    edgeFrom: new Int32Array(count),
    edgeTo: new Int32Array(count),
    edgeFlags: new Uint8Array(count),
  };
  for (let k = 0; k < count; k++) {
    truth.edgeFrom[k] = edges[3 * k] as number;
    truth.edgeTo[k] = edges[3 * k + 1] as number;
    truth.edgeFlags[k] = edges[3 * k + 2] as number;
  }
  return {
    options,
    events,
    clocks,
    hostServices: placement.map((p) => p.service),
    truth,
    deliveries: deliver(random, events, clocks, options.delivery),
  };
}

/**
 * Each host writes one log file; its lines get their sequence in true-time order (an emitter counter,
 * or the byte offset a shipper reports), and consecutive lines are program-order edges.
 */
function orderLogFiles(
  random: () => number,
  events: SimEvent[],
  hosts: number,
  denseShare: number,
  edges: number[],
): void {
  const files: number[][] = Array.from({ length: hosts }, () => []);
  events.forEach((e, i) => {
    if (e.kind === 'log') files[e.host]?.push(i);
  });
  for (const file of files) {
    file.sort((a, b) => (events[a] as SimEvent).trueStartMs - (events[b] as SimEvent).trueStartMs);
    const dense = random() < denseShare;
    let sequence = dense ? 0 : Math.floor(random() * 1_000_000);
    file.forEach((index, n) => {
      const e = events[index] as SimEvent;
      sequence += dense ? 1 : e.text.length + 64;
      e.sequence = sequence;
      if (n > 0)
        edges.push(startPoint(file[n - 1] as number), startPoint(index), edgeFlags('program', true, false));
    });
  }
}

/**
 * Hosts with hybrid logical clocks stamp their logs and span starts; a server or consumer merges the
 * stamp its caller sent. Computed in true-time order, as the clocks would tick.
 */
function stampHybridClocks(events: SimEvent[], clocks: readonly HostClock[]): void {
  if (!clocks.some((c) => c.hlc)) return;
  const order = events
    .map((_, i) => i)
    .filter((i) => (clocks[(events[i] as SimEvent).host] as HostClock).hlc)
    .sort((a, b) => (events[a] as SimEvent).trueStartMs - (events[b] as SimEvent).trueStartMs);
  const state = clocks.map(() => ({ l: 0, c: 0 }));
  const sent = new Map<string, { l: number; c: number }>();
  for (const i of order) {
    const e = events[i] as SimEvent;
    const clock = state[e.host] as { l: number; c: number };
    const pt = Math.floor(localMs(clocks[e.host] as HostClock, e.trueStartMs));
    const received = e.kind === 'span' && e.parentSpanId !== null ? sent.get(e.parentSpanId) : undefined;
    const l = Math.max(clock.l, pt, received?.l ?? -Infinity);
    let c = 0;
    if (l === clock.l && received && l === received.l) c = Math.max(clock.c, received.c) + 1;
    else if (l === clock.l) c = clock.c + 1;
    else if (received && l === received.l) c = received.c + 1;
    clock.l = l;
    clock.c = c;
    e.hlc = `${l}:${c}`;
    if (e.kind === 'span' && e.spanId !== null && (e.spanKind === 'client' || e.spanKind === 'producer')) {
      sent.set(e.spanId, { l, c });
    }
  }
}
