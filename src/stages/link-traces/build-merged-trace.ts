import { instantFromUnixNanos, unixNanos } from '../../core/time.ts';
import type { AttachedLogs } from './attach-logs.ts';
import { annotateSkew, type Skew } from './annotate-skew.ts';
import type { MergedSpan, MergedTrace, SpanTiming, TraceJoin } from './merged-trace.ts';
import type { SpanNode } from './span-node.ts';
import type { TraceRef } from './trace-ref.ts';

export interface MergeInput {
  requested: { id: string; ref: Extract<TraceRef, { ok: true }> };
  nodes: ReadonlyMap<string, SpanNode>;
  logs: AttachedLogs;
  traceIds: readonly string[];
  transactionIds: readonly string[];
  truncated: boolean;
}

/** The answer: spans depth-first with depth, timing and link, logs under their spans, joins listed. */
export function buildMergedTrace(input: MergeInput): MergedTrace {
  const { nodes } = input;
  const children = new Map<string, SpanNode[]>();
  const roots: SpanNode[] = [];
  for (const node of nodes.values()) {
    if (node.parentKey === null) roots.push(node);
    else children.set(node.parentKey, [...(children.get(node.parentKey) ?? []), node]);
  }
  const childrenOf = (node: SpanNode): SpanNode[] => children.get(node.key) ?? [];
  const skews = annotateSkew(roots, childrenOf);
  const adjusted = (n: SpanNode): number => n.startMs + (skews.get(n.key)?.skewMs ?? 0);
  const byStart = (a: SpanNode, b: SpanNode): number =>
    adjusted(a) - adjusted(b) || a.key.localeCompare(b.key);
  roots.sort(byStart);
  for (const list of children.values()) list.sort(byStart);

  const spans: MergedSpan[] = [];
  const sizes = new Map<string, number>();
  for (const root of roots) {
    const first = spans.length;
    const stack: { node: SpanNode; depth: number }[] = [{ node: root, depth: 0 }];
    while (stack.length > 0) {
      const { node, depth } = stack.pop() as { node: SpanNode; depth: number };
      spans.push(toMergedSpan(node, depth, nodes, input.logs, skews.get(node.key)));
      const kids = childrenOf(node);
      for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i] as SpanNode, depth: depth + 1 });
    }
    sizes.set(root.key, spans.length - first);
  }
  const primary = [...roots].sort((a, b) => (sizes.get(b.key) ?? 0) - (sizes.get(a.key) ?? 0))[0];
  return {
    traceId: primary?.traceId ?? input.requested.ref.traceId,
    requested: {
      id: input.requested.id,
      traceId: input.requested.ref.traceId,
      form: input.requested.ref.form,
    },
    traceIds: [...input.traceIds].sort(),
    transactionIds: [...input.transactionIds].sort(),
    joins: joinsOf(spans),
    spans,
    logs: input.logs.unattached,
    summary: summaryOf(spans, input, roots.length),
  };
}

function toMergedSpan(
  node: SpanNode,
  depth: number,
  nodes: ReadonlyMap<string, SpanNode>,
  logs: AttachedLogs,
  skew: Skew | undefined,
): MergedSpan {
  const e = node.event;
  const parent = node.parentKey === null ? null : (nodes.get(node.parentKey) ?? null);
  return {
    id: e.id,
    traceId: node.traceId,
    spanId: node.spanId,
    parentSpanId: parent?.spanId ?? null,
    parentTraceId: parent?.traceId ?? null,
    recordedParentSpanId: e.trace?.parentSpanId ?? null,
    depth,
    source: e.source,
    service: e.service,
    host: e.host,
    name: e.name,
    kind: e.spanKind,
    status: e.status,
    timing: timingOf(node, skew ?? { skewMs: 0, source: 'none' }),
    attributes: e.attributes,
    link: node.link,
    logs: logs.bySpan.get(node.key) ?? [],
  };
}

function timingOf(node: SpanNode, skew: Skew): SpanTiming {
  const shift = BigInt(Math.round(skew.skewMs * 1e6));
  const move = (instant: string): string => instantFromUnixNanos(unixNanos(instant) + shift) ?? instant;
  return {
    start: node.event.time,
    end: node.event.endTime,
    durationMs: node.event.durationMs,
    adjustedStart: move(node.event.time),
    adjustedEnd: move(node.event.endTime),
    skewMs: skew.skewMs,
    skewSource: skew.source,
  };
}

function joinsOf(spans: readonly MergedSpan[]): TraceJoin[] {
  const out: TraceJoin[] = [];
  for (const span of spans) {
    const link = span.link;
    if (!link || link.kind === 'same-trace' || span.parentSpanId === null || span.parentTraceId === null)
      continue;
    out.push({
      kind: link.kind,
      confidence: link.confidence,
      parent: { traceId: span.parentTraceId, spanId: span.parentSpanId },
      child: { traceId: span.traceId, spanId: span.spanId },
    });
  }
  return out;
}

function summaryOf(spans: readonly MergedSpan[], input: MergeInput, roots: number): MergedTrace['summary'] {
  const starts = spans.map((s) => s.timing.adjustedStart).sort();
  const ends = spans.map((s) => s.timing.adjustedEnd).sort();
  const start = starts[0] ?? null;
  const end = ends[ends.length - 1] ?? null;
  const logs = spans.reduce((n, s) => n + s.logs.length, 0) + input.logs.unattached.length;
  return {
    spans: spans.length,
    logs,
    services: [...new Set(spans.map((s) => s.service).filter((s): s is string => s !== null))].sort(),
    sources: [...new Set(spans.map((s) => s.source))].sort(),
    roots,
    start,
    end,
    durationMs: start && end ? Number(unixNanos(end) - unixNanos(start)) / 1e6 : 0,
    heuristicJoins: spans.filter((s) => s.link?.kind === 'heuristic').length,
    truncated: input.truncated,
  };
}
