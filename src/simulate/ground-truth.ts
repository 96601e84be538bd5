import type { SpanEvent } from '../core/event.ts';

/**
 * What really happened in a simulated fleet, to judge an ordering against. Points are numbered from the
 * events: point `2i` is event i (a log, or a span's start), point `2i + 1` is span i's end.
 */
export interface GroundTruth {
  /** True time of each point, ms (NaN for the unused odd points of logs). */
  pointTimeMs: Float64Array;
  /** Happens-before edges: `edgeFrom[k]` happened before `edgeTo[k]`. */
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  /** EDGE_VISIBLE | EDGE_CROSS_HOST, and the kind (`edgeKindOf`). */
  edgeFlags: Uint8Array;
}

/** The edge can be read from the events (program order, span nesting, RPC and message pairs). */
export const EDGE_VISIBLE = 1;
/** Its two ends are on different hosts (different clocks). */
export const EDGE_CROSS_HOST = 2;

export const EDGE_KINDS = ['program', 'thread', 'span', 'rpc', 'message'] as const;
export type EdgeKind = (typeof EDGE_KINDS)[number];

export function edgeFlags(kind: EdgeKind, visible: boolean, crossHost: boolean): number {
  return (EDGE_KINDS.indexOf(kind) << 2) | (visible ? EDGE_VISIBLE : 0) | (crossHost ? EDGE_CROSS_HOST : 0);
}

export function edgeKindOf(flags: number): EdgeKind {
  return EDGE_KINDS[flags >> 2] as EdgeKind;
}

/** One simulated event before it is dressed as a TributaryEvent. */
export interface SimEvent {
  kind: 'log' | 'span';
  host: number;
  service: number;
  trueStartMs: number;
  trueEndMs: number;
  traceId: string | null;
  /** Log: the span it was written in (null without trace context). Span: its own id. */
  spanId: string | null;
  parentSpanId: string | null;
  spanKind: SpanEvent['spanKind'] | null;
  text: string;
  level: string;
  /** Logs: position in its file (dense counter or byte offset), set once the file is in order. */
  sequence: number;
  /** HLC stamp written by the emitter, when its host has one. */
  hlc: string | null;
}

export function startPoint(event: number): number {
  return 2 * event;
}

export function endPoint(event: number): number {
  return 2 * event + 1;
}
