import type { SpanEvent } from '../../core/event.ts';
import type { LinkKind, SpanLink } from './trace-link.ts';

/** One request, whichever agents recorded it: the answer of `GET /v1/traces/:id`. */
export interface MergedTrace {
  /** Trace id of the merged tree: the recorded trace id of its (first) root span. */
  traceId: string;
  requested: { id: string; traceId: string; form: 'otel' | 'pinpoint' };
  /** Every recorded trace id joined into this one (Pinpoint transactions as their mapped ids). */
  traceIds: string[];
  /** Pinpoint transaction ids among them, canonical `agentId^agentStartTime^sequence`. */
  transactionIds: string[];
  /** How the recorded traces were joined: one entry per cross-trace parent/child edge. */
  joins: TraceJoin[];
  /** Spans depth-first (children by adjusted start), each with its parent in the merged tree. */
  spans: MergedSpan[];
  /** Logs of these traces whose span is not among the spans (or who named only the trace). */
  logs: AttachedLog[];
  summary: TraceSummary;
}

export interface MergedSpan {
  /** Stored event id. */
  id: string;
  /** Trace and span ids as recorded (OTel-shaped; Pinpoint ids mapped, raw ones in attributes). */
  traceId: string;
  spanId: string;
  /** Parent in the merged tree (null for a root). */
  parentSpanId: string | null;
  /** Trace id of that parent (differs from `traceId` where two recorded traces were joined). */
  parentTraceId: string | null;
  /** The parent the agent recorded, which the merged tree may refine. */
  recordedParentSpanId: string | null;
  depth: number;
  source: string;
  service: string | null;
  host: string | null;
  name: string;
  kind: SpanEvent['spanKind'];
  status: SpanEvent['status'];
  timing: SpanTiming;
  attributes: Record<string, unknown>;
  /** How this span was joined to its parent; null for a root. */
  link: SpanLink | null;
  logs: AttachedLog[];
}

/**
 * Raw times as the span's host recorded them, and the same shifted by `skewMs` to sit on its parent's
 * clock: by the host offset the ordering stage estimated (`host-offset`), by fitting a server span
 * inside its client span as Jaeger's adjuster does (`rpc-fit`), or by the shift of an ancestor on the
 * same host (`inherited`).
 */
export interface SpanTiming {
  start: string;
  end: string;
  durationMs: number;
  adjustedStart: string;
  adjustedEnd: string;
  skewMs: number;
  skewSource: 'none' | 'host-offset' | 'rpc-fit' | 'inherited';
}

export interface AttachedLog {
  id: string;
  time: string;
  level: string | null;
  service: string | null;
  host: string | null;
  message: string;
  /** Which key family tied it to its span: OTel `trace_id`/`span_id` or Pinpoint `PtxId`/`PspanId`. */
  by: 'otel' | 'pinpoint' | 'trace-only';
  traceId: string | null;
  spanId: string | null;
}

export interface TraceJoin {
  kind: Exclude<LinkKind, 'same-trace'>;
  confidence: number;
  parent: { traceId: string; spanId: string };
  child: { traceId: string; spanId: string };
}

export interface TraceSummary {
  spans: number;
  logs: number;
  services: string[];
  sources: string[];
  roots: number;
  start: string | null;
  end: string | null;
  durationMs: number;
  heuristicJoins: number;
  /** A bound was reached (traces merged, events per trace): the answer is incomplete. */
  truncated: boolean;
}
