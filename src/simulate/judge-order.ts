import type { SimulatedFleet } from './causal-fleet.ts';
import { evaluateOrder, ranksOf, type OrderQuality } from './evaluate-order.ts';
import { fleetEvent } from './fleet-events.ts';
import {
  EDGE_CROSS_HOST,
  EDGE_VISIBLE,
  startPoint,
  type GroundTruth,
  type SimEvent,
} from './ground-truth.ts';

/** The fields of a stored event that tell which simulated event it is (as `GET /v1/logs` returns them). */
export interface StoredEventIdentity {
  id: string;
  kind: string;
  sourceKey?: string | null;
  sequence?: string | null;
}

/**
 * Finds the simulated event a stored one came from. Spans by id (the OTLP parser derives it from trace
 * and span id, as `fleetEvent` does); logs by file and offset, because the Logstash parser hashes the
 * raw record, which depends on how the sender serialized it.
 */
export function storedEventLookup(fleet: SimulatedFleet): (event: StoredEventIdentity) => number | undefined {
  const byIdentity = new Map<string, number>();
  fleet.events.forEach((_, i) => byIdentity.set(identityOf(fleetEvent(fleet, i)), i));
  return (event) => byIdentity.get(identityOf(event));
}

function identityOf(event: StoredEventIdentity): string {
  return event.kind === 'log' ? `log\u0000${event.sourceKey ?? ''}\u0000${event.sequence ?? ''}` : event.id;
}

/**
 * The happens-before edges between the given events (their start points), through the points that are
 * not among them: `a -> b` when a path leads from a to b without passing another kept point. An edge is
 * visible when some such path is made of visible edges only; its kind is that of the path's first edge.
 * A reader of `GET /v1/logs` sees logs only, and most causal links between logs pass through spans.
 */
export function truthBetween(fleet: SimulatedFleet, events: readonly number[]): GroundTruth {
  const { truth } = fleet;
  const points = truth.pointTimeMs.length;
  const kept = new Uint8Array(points);
  for (const e of events) kept[startPoint(e)] = 1;
  // Out-edges per point (CSR).
  const first = new Int32Array(points + 1);
  for (const from of truth.edgeFrom) first[from + 1] = (first[from + 1] as number) + 1;
  for (let p = 0; p < points; p++) first[p + 1] = (first[p + 1] as number) + (first[p] as number);
  const fill = first.slice(0, points);
  const out = new Int32Array(truth.edgeFrom.length);
  truth.edgeFrom.forEach((from, k) => {
    out[fill[from] as number] = k;
    fill[from] = (fill[from] as number) + 1;
  });
  const hostOf = (p: number): number => (fleet.events[p >> 1] as SimEvent).host;
  const from: number[] = [];
  const to: number[] = [];
  const flags: number[] = [];
  // Per search: 0 unseen, 1 reached by some path, 2 reached by an all-visible path.
  const reached = new Uint8Array(points);
  const touched: number[] = [];
  for (const e of events) {
    const source = startPoint(e);
    const found = new Map<number, number>();
    const stack: [point: number, visible: boolean, kind: number][] = [];
    const push = (k: number, visible: boolean, kind: number): void => {
      const next = truth.edgeTo[k] as number;
      const state = visible && ((truth.edgeFlags[k] as number) & EDGE_VISIBLE) !== 0 ? 2 : 1;
      if ((reached[next] as number) >= state) return;
      if (reached[next] === 0) touched.push(next);
      reached[next] = state;
      if (kept[next]) found.set(next, state === 2 ? kind | EDGE_VISIBLE : kind);
      else stack.push([next, state === 2, kind]);
    };
    for (let i = first[source] as number; i < (first[source + 1] as number); i++) {
      const k = out[i] as number;
      push(k, true, (truth.edgeFlags[k] as number) & ~(EDGE_VISIBLE | EDGE_CROSS_HOST));
    }
    for (let top = stack.pop(); top; top = stack.pop()) {
      const [p, visible, kind] = top;
      for (let i = first[p] as number; i < (first[p + 1] as number); i++)
        push(out[i] as number, visible, kind);
    }
    for (const [target, flag] of found) {
      from.push(source);
      to.push(target);
      flags.push(flag | (hostOf(source) !== hostOf(target) ? EDGE_CROSS_HOST : 0));
    }
    for (const p of touched) reached[p] = 0;
    touched.length = 0;
  }
  return {
    pointTimeMs: truth.pointTimeMs,
    edgeFrom: Int32Array.from(from),
    edgeTo: Int32Array.from(to),
    edgeFlags: Uint8Array.from(flags),
  };
}

/**
 * How well a list of simulated events (indices, in the order an API returned them) respects what really
 * happened: happens-before edges between them (`truthBetween`) that the order inverts, all and visible
 * ones, and Kendall tau against true time (global, 1 s windows, per trace).
 */
export function judgeOrder(fleet: SimulatedFleet, ordered: readonly number[]): OrderQuality {
  const truth = truthBetween(fleet, ordered);
  const rows = Int32Array.from(ordered, startPoint);
  const traces = new Map<string, number>();
  const traceOfRow = Int32Array.from(ordered, (e) => {
    const traceId = (fleet.events[e] as SimEvent).traceId;
    if (traceId === null) return -1;
    const known = traces.get(traceId);
    if (known !== undefined) return known;
    traces.set(traceId, traces.size);
    return traces.size - 1;
  });
  return evaluateOrder(truth, ranksOf(truth.pointTimeMs.length, rows), rows, traceOfRow);
}

export interface StoredOrderComparison {
  causal: OrderQuality;
  timestamp: OrderQuality;
  /** Returned events that are not from the fleet (or came twice), left out of the judgement. */
  unmatched: number;
  /**
   * A request worth looking at: the trace whose logs the timestamp order inverts most while the causal
   * order inverts none of them (null when there is none).
   */
  showcaseTraceId: string | null;
}

/** Judges two orders of the same stored events (as `GET /v1/logs` returned them) against the truth. */
export function compareStoredOrders(
  fleet: SimulatedFleet,
  causal: readonly StoredEventIdentity[],
  timestamp: readonly StoredEventIdentity[],
): StoredOrderComparison {
  const lookup = storedEventLookup(fleet);
  let unmatched = 0;
  const indices = (items: readonly StoredEventIdentity[]): number[] => {
    const seen = new Set<number>();
    for (const item of items) {
      const e = lookup(item);
      if (e === undefined || seen.has(e)) unmatched += 1;
      else seen.add(e);
    }
    return [...seen];
  };
  const causalOrder = indices(causal);
  const timestampOrder = indices(timestamp);
  const truth = truthBetween(fleet, causalOrder);
  const causalInverted = invertedByTrace(fleet, truth, causalOrder);
  const timestampInverted = invertedByTrace(fleet, truth, timestampOrder);
  let showcaseTraceId: string | null = null;
  for (const [trace, count] of timestampInverted) {
    if (count === 0 || (causalInverted.get(trace) ?? 0) > 0) continue;
    if (showcaseTraceId === null || count > (timestampInverted.get(showcaseTraceId) ?? 0)) {
      showcaseTraceId = trace;
    }
  }
  return {
    causal: judgeOrder(fleet, causalOrder),
    timestamp: judgeOrder(fleet, timestampOrder),
    unmatched,
    showcaseTraceId,
  };
}

/** Edges of `truth` that `ordered` inverts, counted per trace of both their ends (same trace only). */
function invertedByTrace(
  fleet: SimulatedFleet,
  truth: GroundTruth,
  ordered: readonly number[],
): Map<string, number> {
  const ranks = ranksOf(truth.pointTimeMs.length, Int32Array.from(ordered, startPoint));
  const out = new Map<string, number>();
  for (let k = 0; k < truth.edgeFrom.length; k++) {
    const a = truth.edgeFrom[k] as number;
    const b = truth.edgeTo[k] as number;
    const trace = (fleet.events[a >> 1] as SimEvent).traceId;
    if (trace === null || trace !== (fleet.events[b >> 1] as SimEvent).traceId) continue;
    const [ra, rb] = [ranks[a] as number, ranks[b] as number];
    if (ra < 0 || rb < 0) continue;
    const inverted = ra > rb ? 1 : 0;
    out.set(trace, (out.get(trace) ?? 0) + inverted);
  }
  return out;
}
