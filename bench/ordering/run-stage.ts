import { performance } from 'node:perf_hooks';
import { clockOffsetMs } from '../../src/simulate/host-clock.ts';
import type { SimulatedFleet } from '../../src/simulate/causal-fleet.ts';
import { fleetEvent } from '../../src/simulate/fleet-events.ts';
import { compareKeys, type OrderKey } from '../../src/stages/order-logs/order-key.ts';
import type { ReleasedPoint } from '../../src/stages/order-logs/ordering-buffer.ts';
import {
  createOrderingStage,
  type OrderingStage,
  type OrderingStageOptions,
} from '../../src/stages/order-logs/ordering-stage.ts';
import type { OrderingSharedState } from '../../src/stages/order-logs/shared-state.ts';
import { FakeClock } from '../../src/stages/order-logs/testing.ts';
import type { FleetIndex } from '../../src/simulate/fleet-index.ts';

export interface StageRun {
  /** Final key per point. */
  keys: Map<number, { key: OrderKey; point: number }>;
  /** Points in the stage's total order. */
  order: number[];
  /** Processing-time delay added by the stage per released point, ms, sorted. */
  latencies: Float64Array;
  /** |estimated - true| host offsets (both relative to the fleet mean), ms, sorted. */
  offsetErrors: Float64Array;
  /** Wall time spent in the stage's calls. */
  stageSeconds: number;
  /** CPU time of the process during the stage's calls (less disturbed by other load on the machine). */
  stageCpuSeconds: number;
  deliveries: number;
  peakBufferedBytes: number;
  peakHeapGrowthBytes: number;
  stats: ReturnType<OrderingStage['stats']>;
}

export interface StageRunOptions {
  stage?: OrderingStageOptions;
  /** Replicas consuming disjoint partitions, sharing state (1 = a single stage). */
  replicas?: number;
  /** The state replicas share, built on the simulated clock (the embedded stage has one too). */
  shared?: (now: () => number) => OrderingSharedState;
  /** When offset errors start being sampled (the estimator needs a few seconds of RPCs). */
  offsetWarmupMs?: number;
  /** Events per offer (a queue batch) and how long a batch collects, simulated ms. */
  batchMs?: number;
}

/**
 * Feeds the deliveries, in arrival order and at their arrival times on a simulated clock, to the ordering
 * stage (or to several replicas by partition), ticking it every `tickMs`, then lets it drain.
 */
export async function runThroughStage(
  fleet: SimulatedFleet,
  index: FleetIndex,
  options: StageRunOptions = {},
): Promise<StageRun> {
  const clock = new FakeClock(fleet.deliveries[0]?.arrivalMs ?? fleet.options.startMs);
  const tickMs = options.stage?.tickMs ?? 50;
  const keys = new Map<number, { key: OrderKey; point: number }>();
  const latencies: number[] = [];
  const onRelease = (points: readonly ReleasedPoint[]): void => {
    for (const p of points) {
      const event = index.idToEvent.get(p.record.id);
      if (event === undefined) continue;
      const point = p.role === 'end' ? 2 * event + 1 : 2 * event;
      if (!keys.has(point)) latencies.push(p.releasedMs - p.arrivalMs);
      keys.set(point, { key: p.key, point });
    }
  };
  const replicas = options.replicas ?? 1;
  const shared = options.shared?.(clock.now) ?? null;
  const sink = { setOrderKeys: async () => 0 };
  const stages = Array.from({ length: replicas }, (_, r) =>
    createOrderingStage(
      { ...options.stage, now: clock.now, onRelease, shared: { ...options.stage?.shared, replica: `r${r}` } },
      shared,
      sink,
    ),
  );
  const offsetErrors: number[] = [];
  const batchMs = options.batchMs ?? 5;
  let stageMs = 0;
  let stageCpuMicros = 0;
  let peakHeap = 0;
  let nextTick = clock.ms + tickMs;
  let nextOffsetSample = clock.ms + (options.offsetWarmupMs ?? 5_000);
  const heapBase = process.memoryUsage().heapUsed;
  const tickAll = async (): Promise<void> => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const stage of stages) stage.tick();
    const c1 = process.cpuUsage(c0);
    stageCpuMicros += c1.user + c1.system;
    stageMs += performance.now() - t0;
    if (shared) for (const stage of stages) await stage.idle();
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed - heapBase);
  };
  const deliveries = fleet.deliveries;
  let i = 0;
  while (i < deliveries.length) {
    const until = (deliveries[i] as { arrivalMs: number }).arrivalMs + batchMs;
    const batches: ReturnType<typeof fleetEvent>[][] = stages.map(() => []);
    for (; i < deliveries.length && (deliveries[i] as { arrivalMs: number }).arrivalMs <= until; i++) {
      const d = deliveries[i] as (typeof deliveries)[number];
      // Store first: the store keeps one copy of a redelivered event and only new ones reach the stage.
      if (d.duplicate) continue;
      batches[d.partition % replicas]?.push(fleetEvent(fleet, d.event));
    }
    while (nextTick <= until) {
      clock.ms = nextTick;
      await tickAll();
      nextTick += tickMs;
    }
    clock.ms = until;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    stages.forEach((stage, r) => stage.offer(batches[r] as []));
    const c1 = process.cpuUsage(c0);
    stageCpuMicros += c1.user + c1.system;
    stageMs += performance.now() - t0;
    // Offsets are judged while requests flow (late re-sent chunks arrive long after, on a stale estimate).
    if (clock.ms >= nextOffsetSample && clock.ms <= fleet.options.startMs + fleet.options.durationMs) {
      nextOffsetSample += 1_000;
      offsetErrors.push(...offsetErrorsAt(fleet, stages[0] as OrderingStage, clock.ms));
    }
  }
  for (let drain = 0; drain < 200 && stages.some((s) => s.stats().unreleased > 0); drain++) {
    clock.ms = nextTick;
    nextTick += tickMs;
    await tickAll();
  }
  for (const stage of stages) await stage.shutdown(Date.now() + 10_000);
  const order = [...keys.values()]
    .sort((a, b) => compareKeys(a.key, b.key) || a.point - b.point)
    .map((k) => k.point);
  const stats = stages.map((s) => s.stats());
  const merged = { ...(stats[0] as ReturnType<OrderingStage['stats']>) };
  for (const s of stats.slice(1)) {
    for (const [k, v] of Object.entries(s))
      (merged as Record<string, number>)[k] = ((merged as Record<string, number>)[k] ?? 0) + v;
  }
  return {
    keys,
    order,
    latencies: Float64Array.from(latencies).sort(),
    offsetErrors: Float64Array.from(offsetErrors).sort(),
    stageSeconds: stageMs / 1000,
    stageCpuSeconds: stageCpuMicros / 1e6,
    deliveries: deliveries.length,
    peakBufferedBytes: Math.max(...stats.map((s) => s.peakBufferedBytes)),
    peakHeapGrowthBytes: peakHeap,
    stats: merged,
  };
}

/** Estimated against true offsets, both taken relative to the mean over the hosts the stage estimates. */
function offsetErrorsAt(fleet: SimulatedFleet, stage: OrderingStage, nowMs: number): number[] {
  const view = stage.offsets();
  if (view.length < 2) return [];
  const hostIndex = new Map(fleet.clocks.map((c, i) => [c.host, i]));
  const at = nowMs - 500;
  const estimates = view.map((v) => v.offsetMs);
  const truths = view.map((v) => clockOffsetMs(fleet.clocks[hostIndex.get(v.host) ?? 0]!, at));
  const meanEstimate = estimates.reduce((s, x) => s + x, 0) / estimates.length;
  const meanTruth = truths.reduce((s, x) => s + x, 0) / truths.length;
  return view.map((_, k) => Math.abs(estimates[k]! - meanEstimate - (truths[k]! - meanTruth)));
}
