import type { SimulatedFleet } from './causal-fleet.ts';
import { fleetEvent } from './fleet-events.ts';
import type { SimEvent } from './ground-truth.ts';
import { unixMillis } from '../core/time.ts';

/** Per simulated event: its id, and the raw times its host wrote (what sort-by-timestamp sees). */
export interface FleetIndex {
  idToEvent: Map<string, number>;
  /** Raw time per point (ms; logs and span starts at 2i, span ends at 2i+1). */
  rawPointMs: Float64Array;
  /** Rows a reader sees (logs and span starts), as points, and the trace of each (-1 without). */
  rows: Int32Array;
  traceOfRow: Int32Array;
}

export function indexFleet(fleet: SimulatedFleet): FleetIndex {
  const idToEvent = new Map<string, number>();
  const rawPointMs = new Float64Array(fleet.events.length * 2).fill(Number.NaN);
  const traces = new Map<string, number>();
  const rows = new Int32Array(fleet.events.length);
  const traceOfRow = new Int32Array(fleet.events.length);
  fleet.events.forEach((sim: SimEvent, i) => {
    const event = fleetEvent(fleet, i);
    idToEvent.set(event.id, i);
    rawPointMs[2 * i] = unixMillis(event.time);
    if (event.kind === 'span') rawPointMs[2 * i + 1] = unixMillis(event.endTime);
    rows[i] = 2 * i;
    if (sim.traceId === null) traceOfRow[i] = -1;
    else {
      let t = traces.get(sim.traceId);
      if (t === undefined) traces.set(sim.traceId, (t = traces.size));
      traceOfRow[i] = t;
    }
  });
  return { idToEvent, rawPointMs, rows, traceOfRow };
}

/** Sort-by-timestamp: every point by its raw time, ties by arrival. */
export function naiveOrder(fleet: SimulatedFleet, index: FleetIndex): number[] {
  const firstArrival = new Int32Array(fleet.events.length).fill(-1);
  fleet.deliveries.forEach((d, n) => {
    if (firstArrival[d.event] === -1) firstArrival[d.event] = n;
  });
  const points: number[] = [];
  for (let p = 0; p < index.rawPointMs.length; p++) {
    if (!Number.isNaN(index.rawPointMs[p] as number) && (firstArrival[p >> 1] as number) >= 0) points.push(p);
  }
  return points.sort(
    (a, b) =>
      (index.rawPointMs[a] as number) - (index.rawPointMs[b] as number) ||
      (firstArrival[a >> 1] as number) - (firstArrival[b >> 1] as number) ||
      a - b,
  );
}
