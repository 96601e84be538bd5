import { spanIdToHex } from '../../sources/pinpoint/transaction-id.ts';
import { spanKey, type SpanNode } from './span-node.ts';
import type { SpanLink, TraceLink } from './trace-link.ts';

const EXACT = 1;

/**
 * Sets every node's parent from exact evidence, in this order:
 * 1. a Pinpoint callee span goes under the caller's client event whose next span id is its own span id
 *    (the parser can only put it under the caller's span), and a chunk's first-level events under the
 *    event that started the async work (`nextAsyncId`); otherwise the recorded parent, when present;
 * 2. then, for spans still without a parent, cross-trace links: `calls` puts the child under the
 *    caller (for Pinpoint callers, the client event whose next span id is the callee id the headers
 *    carried), `same` puts whichever of the two is a root under the other.
 * A link that would make a cycle is ignored. Parents found here have confidence 1.
 */
export function resolveParents(nodes: ReadonlyMap<string, SpanNode>, links: readonly TraceLink[]): void {
  const byCallee = clientEventsByCallee(nodes);
  const asyncStarters = new Map<string, SpanNode>();
  for (const node of nodes.values()) {
    node.parentKey = null;
    node.link = null;
    const ids = node.pinpoint;
    if (ids?.isEvent && ids.nextAsyncId !== null)
      asyncStarters.set(`${node.traceId}/${ids.spanId}/${ids.nextAsyncId}`, node);
  }
  for (const node of nodes.values()) {
    const parent = sameTraceParent(node, nodes, byCallee, asyncStarters);
    if (parent) attach(nodes, node, parent, { kind: 'same-trace', confidence: EXACT });
  }
  for (const link of links) {
    if (link.relation === 'calls') applyCall(nodes, byCallee, link);
    else applySame(nodes, link);
  }
}

function sameTraceParent(
  node: SpanNode,
  nodes: ReadonlyMap<string, SpanNode>,
  byCallee: ReadonlyMap<string, SpanNode[]>,
  asyncStarters: ReadonlyMap<string, SpanNode>,
): SpanNode | null {
  const ids = node.pinpoint;
  const recorded = node.event.trace?.parentSpanId;
  if (ids && !ids.isEvent && ids.parentSpanId !== null) {
    const callers = byCallee.get(`${node.traceId}/${node.spanId}`) ?? [];
    const caller = callers.find((c) => c.pinpoint?.spanId === ids.parentSpanId);
    if (caller) return caller;
  }
  if (ids?.isEvent && ids.asyncId !== null && recorded === spanIdToHex(BigInt(ids.spanId))) {
    const starter = asyncStarters.get(`${node.traceId}/${ids.spanId}/${ids.asyncId}`);
    if (starter) return starter;
  }
  return recorded ? (nodes.get(spanKey(node.traceId, recorded)) ?? null) : null;
}

/** Pinpoint client events by `<traceId>/<callee span id as hex>`. */
function clientEventsByCallee(nodes: ReadonlyMap<string, SpanNode>): Map<string, SpanNode[]> {
  const out = new Map<string, SpanNode[]>();
  for (const node of nodes.values()) {
    const next = node.pinpoint?.nextSpanId;
    if (!node.pinpoint?.isEvent || next === null || next === undefined) continue;
    const key = `${node.traceId}/${spanIdToHex(BigInt(next))}`;
    out.set(key, [...(out.get(key) ?? []), node]);
  }
  return out;
}

function applyCall(
  nodes: ReadonlyMap<string, SpanNode>,
  byCallee: ReadonlyMap<string, SpanNode[]>,
  link: TraceLink,
): void {
  const children = childrenOf(nodes, link);
  let parent: SpanNode | null = null;
  if (link.calleeSpanId !== null) {
    const callers = byCallee.get(`${link.parent.traceId}/${link.calleeSpanId}`) ?? [];
    parent =
      callers.find(
        (c) =>
          link.parent.spanId === null ||
          spanIdToHex(BigInt(c.pinpoint?.spanId ?? '0')) === link.parent.spanId,
      ) ?? null;
  }
  if (parent === null && link.parent.spanId !== null)
    parent = nodes.get(spanKey(link.parent.traceId, link.parent.spanId)) ?? null;
  if (parent === null) return;
  for (const child of children) attach(nodes, child, parent, { kind: link.kind, confidence: EXACT });
}

function applySame(nodes: ReadonlyMap<string, SpanNode>, link: TraceLink): void {
  if (link.parent.spanId === null || link.child.spanId === null) return;
  const a = nodes.get(spanKey(link.parent.traceId, link.parent.spanId));
  const b = nodes.get(spanKey(link.child.traceId, link.child.spanId));
  if (!a || !b) return;
  const how: SpanLink = { kind: link.kind, confidence: EXACT };
  if (b.parentKey === null) attach(nodes, b, a, how);
  else if (a.parentKey === null) attach(nodes, a, b, how);
}

/** The child span a `calls` link names, or the only root of its trace when it names just the trace. */
function childrenOf(nodes: ReadonlyMap<string, SpanNode>, link: TraceLink): SpanNode[] {
  if (link.child.spanId !== null) {
    const child = nodes.get(spanKey(link.child.traceId, link.child.spanId));
    return child && child.parentKey === null ? [child] : [];
  }
  const roots = [...nodes.values()].filter((n) => n.traceId === link.child.traceId && n.parentKey === null);
  return roots.length === 1 ? roots : [];
}

/** Sets `parent` as the parent of `child` unless that makes a cycle. Returns whether it did. */
export function attach(
  nodes: ReadonlyMap<string, SpanNode>,
  child: SpanNode,
  parent: SpanNode,
  link: SpanLink,
): boolean {
  for (let at: SpanNode | undefined = parent, hops = 0; at; hops++) {
    if (at === child || hops > nodes.size) return false;
    at = at.parentKey === null ? undefined : nodes.get(at.parentKey);
  }
  child.parentKey = parent.key;
  child.link = link;
  return true;
}
