import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { performance } from 'node:perf_hooks';
import type { TributaryEvent } from '../../src/core/event.ts';
import type { SimulatedFleet } from '../../src/simulate/causal-fleet.ts';
import { fleetEvent } from '../../src/simulate/fleet-events.ts';
import {
  createOrderingStage,
  type OrderingStageOptions,
} from '../../src/stages/order-logs/ordering-stage.ts';
import type { OrderingSharedState } from '../../src/stages/order-logs/shared-state.ts';
import { FakeClock } from '../../src/stages/order-logs/testing.ts';

export interface Throughput {
  events: number;
  wallSeconds: number;
  cpuSeconds: number;
  /** Largest heap the stage held beyond the events themselves, measured after a full collection. */
  peakRetainedBytes: number;
}

setFlagsFromString('--expose_gc');
const collect = runInNewContext('gc') as () => void;

function retainedHeap(): number {
  collect();
  return process.memoryUsage().heapUsed;
}

/**
 * How fast the stage itself goes, and what it holds: the first `count` deliveries, offered in 5 ms
 * batches of simulated arrival time, ticking every 50 ms, as fast as the CPU allows. Each batch's events
 * are built just before it, outside the timed part: the simulator's cost is not counted, and the heap
 * does not hold the events still to come (built all beforehand, 250k events made every collection of
 * the stage's garbage walk them: 40k instead of 48k events/s of CPU, measured). Every simulated second the heap is
 * measured after a full collection (outside the timed part). With a shared state (built on the
 * simulated clock), its work after each tick is awaited and timed with the stage; so is the shutdown,
 * where an archive writes the spans still remembered (in a longer run, the sweeps would have: each span
 * is written once).
 */
export async function measureThroughput(
  fleet: SimulatedFleet,
  count: number,
  arrangement: {
    shared: (now: () => number) => OrderingSharedState;
    stage: OrderingStageOptions;
  } | null = null,
): Promise<Throughput> {
  const deliveries = fleet.deliveries.filter((d) => !d.duplicate).slice(0, count);
  const batches: { at: number; events: number[] }[] = [];
  for (const d of deliveries) {
    const last = batches[batches.length - 1];
    if (last && d.arrivalMs - last.at < 5) last.events.push(d.event);
    else batches.push({ at: d.arrivalMs, events: [d.event] });
  }
  const clock = new FakeClock(batches[0]?.at ?? 0);
  const shared = arrangement?.shared(clock.now) ?? null;
  const stage = createOrderingStage({ ...arrangement?.stage, now: clock.now }, shared, {
    setOrderKeys: async () => 0,
  });
  const base = retainedHeap();
  let peak = 0;
  let wall = 0;
  let cpu = 0;
  let nextTick = clock.ms + 50;
  let nextSample = clock.ms + 1_000;
  for (const batch of batches) {
    // Built outside the timed part, a batch at a time: the stage's heap is not swollen by events to come.
    const events: TributaryEvent[] = batch.events.map((i) => fleetEvent(fleet, i));
    const w0 = performance.now();
    const c0 = process.cpuUsage();
    for (; nextTick <= batch.at; nextTick += 50) {
      clock.ms = nextTick;
      stage.tick();
      if (shared) await stage.idle();
    }
    clock.ms = batch.at;
    stage.offer(events);
    const c = process.cpuUsage(c0);
    cpu += c.user + c.system;
    wall += performance.now() - w0;
    if (clock.ms >= nextSample) {
      nextSample += 1_000;
      peak = Math.max(peak, retainedHeap() - base);
    }
  }
  const w0 = performance.now();
  const c0 = process.cpuUsage();
  await stage.shutdown(Date.now() + 60_000);
  const c = process.cpuUsage(c0);
  cpu += c.user + c.system;
  wall += performance.now() - w0;
  return {
    events: deliveries.length,
    wallSeconds: wall / 1000,
    cpuSeconds: cpu / 1e6,
    peakRetainedBytes: peak,
  };
}
