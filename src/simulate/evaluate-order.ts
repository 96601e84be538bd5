import { EDGE_CROSS_HOST, EDGE_VISIBLE, type GroundTruth } from './ground-truth.ts';
import { tauParts } from './kendall.ts';

/** Where each point landed in an order: its rank (-1 when it never came out). */
export type Ranks = Int32Array;

export interface OrderQuality {
  /** Violated visible edges / visible edges. */
  visibleViolationRate: number;
  visibleViolations: number;
  visibleEdges: number;
  /** Violated edges / all edges. */
  overallViolationRate: number;
  violations: number;
  /** Violated cross-host edges / cross-host edges. */
  crossHostViolationRate: number;
  crossHostEdges: number;
  crossHostViolations: number;
  edges: number;
  missing: number;
  tauGlobal: number;
  tauWindow1s: number;
  tauPerTrace: number;
}

/**
 * Judges an order of points against the truth. Edges count only where both ends were ranked. Kendall tau
 * is over `rows` (what a reader sees: logs and span starts): global, within 1 s windows of true time
 * (pooled), and per trace (mean over traces with at least two rows).
 */
export function evaluateOrder(
  truth: GroundTruth,
  ranks: Ranks,
  rows: Int32Array,
  traceOfRow: Int32Array,
  edgeFilter: (from: number, to: number) => boolean = () => true,
): OrderQuality {
  let edges = 0;
  let violated = 0;
  let visible = 0;
  let visibleViolated = 0;
  let cross = 0;
  let crossViolated = 0;
  let missing = 0;
  for (let k = 0; k < truth.edgeFrom.length; k++) {
    const a = truth.edgeFrom[k] as number;
    const b = truth.edgeTo[k] as number;
    if (!edgeFilter(a, b)) continue;
    const ra = ranks[a] as number;
    const rb = ranks[b] as number;
    if (ra < 0 || rb < 0) {
      missing += 1;
      continue;
    }
    const flags = truth.edgeFlags[k] as number;
    const bad = ra > rb;
    edges += 1;
    if (bad) violated += 1;
    if (flags & EDGE_VISIBLE) {
      visible += 1;
      if (bad) visibleViolated += 1;
    }
    if (flags & EDGE_CROSS_HOST) {
      cross += 1;
      if (bad) crossViolated += 1;
    }
  }
  const ranked = Array.from(rows).filter((p) => (ranks[p] as number) >= 0);
  ranked.sort((x, y) => (ranks[x] as number) - (ranks[y] as number));
  const times = ranked.map((p) => truth.pointTimeMs[p] as number);
  const global = tauParts(times);
  const windows = new Map<number, number[]>();
  const traces = new Map<number, number[]>();
  const traceIndex = new Map<number, number>();
  rows.forEach((p, i) => traceIndex.set(p, traceOfRow[i] as number));
  for (const p of ranked) {
    const t = truth.pointTimeMs[p] as number;
    const w = Math.floor(t / 1000);
    (windows.get(w) ?? windows.set(w, []).get(w))?.push(t);
    const trace = traceIndex.get(p) ?? -1;
    if (trace >= 0) (traces.get(trace) ?? traces.set(trace, []).get(trace))?.push(t);
  }
  let windowDiscordant = 0;
  let windowPairs = 0;
  for (const w of windows.values()) {
    const parts = tauParts(w);
    windowDiscordant += parts.discordant;
    windowPairs += parts.pairs;
  }
  let traceTauSum = 0;
  let traceCount = 0;
  for (const t of traces.values()) {
    if (t.length < 2) continue;
    const parts = tauParts(t);
    traceTauSum += 1 - (2 * parts.discordant) / parts.pairs;
    traceCount += 1;
  }
  return {
    visibleViolationRate: visible === 0 ? 0 : visibleViolated / visible,
    visibleViolations: visibleViolated,
    visibleEdges: visible,
    overallViolationRate: edges === 0 ? 0 : violated / edges,
    violations: violated,
    crossHostViolationRate: cross === 0 ? 0 : crossViolated / cross,
    crossHostEdges: cross,
    crossHostViolations: crossViolated,
    edges,
    missing,
    tauGlobal: global.pairs === 0 ? 1 : 1 - (2 * global.discordant) / global.pairs,
    tauWindow1s: windowPairs === 0 ? 1 : 1 - (2 * windowDiscordant) / windowPairs,
    tauPerTrace: traceCount === 0 ? 1 : traceTauSum / traceCount,
  };
}

/** Ranks from a list of points already in order. */
export function ranksOf(pointCount: number, ordered: Iterable<number>): Ranks {
  const ranks = new Int32Array(pointCount).fill(-1);
  let r = 0;
  for (const p of ordered) ranks[p] = r++;
  return ranks;
}
