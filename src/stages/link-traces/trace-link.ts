/** How a span was joined to its parent in a merged trace. */
export type LinkKind = 'same-trace' | 'header' | 'traceparent' | 'log' | 'heuristic';

/**
 * Why a span sits under its parent: `confidence` is 1 for every exact link (ids recorded by one side)
 * and below 1 for a heuristic join, which is never presented as certain.
 */
export interface SpanLink {
  kind: LinkKind;
  confidence: number;
}

/** A span of a recorded trace; `spanId` null when the evidence named only the trace. */
export interface SpanRef {
  traceId: string;
  spanId: string | null;
}

/**
 * Evidence, recorded by one side, that two traces belong to one request.
 * - `calls`: `parent` called `child` (the child span is the callee's server span).
 * - `same`: both refs name the same unit of work (a log line carrying both id families).
 */
export interface TraceLink {
  kind: 'header' | 'traceparent' | 'log';
  relation: 'calls' | 'same';
  parent: SpanRef;
  child: SpanRef;
  /**
   * Pinpoint callers only: the span id (hex) the caller gave its callee (`Pinpoint-SpanID`), which the
   * caller's client span event carries as `pinpoint.nextSpanId`, so the exact client event is found.
   */
  calleeSpanId: string | null;
}

/** A stable text identity of a link (for de-duplication). */
export function linkKey(link: TraceLink): string {
  return [
    link.kind,
    link.relation,
    link.parent.traceId,
    link.parent.spanId ?? '',
    link.child.traceId,
    link.child.spanId ?? '',
    link.calleeSpanId ?? '',
  ].join('|');
}
