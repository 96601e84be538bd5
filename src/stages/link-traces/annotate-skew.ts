import type { SpanTiming } from './merged-trace.ts';
import type { SpanNode } from './span-node.ts';

export interface Skew {
  skewMs: number;
  source: SpanTiming['skewSource'];
}

/**
 * Shifts that put every span on its root's clock, top-down. A span on its parent's host shares the
 * parent's shift. Elsewhere its host offset (estimated by the ordering stage) is applied when known;
 * then, if the span still does not fit inside its parent and is not longer than it, it is centred in
 * the parent (the network time split evenly, as Jaeger's clock-skew adjuster does). Raw times are never
 * changed: the shift is reported beside them.
 */
export function annotateSkew(
  roots: readonly SpanNode[],
  childrenOf: (node: SpanNode) => readonly SpanNode[],
): Map<string, Skew> {
  const out = new Map<string, Skew>();
  const stack: { node: SpanNode; parent: SpanNode | null }[] = roots.map((node) => ({ node, parent: null }));
  while (stack.length > 0) {
    const { node, parent } = stack.pop() as { node: SpanNode; parent: SpanNode | null };
    out.set(node.key, parent === null ? ownOffset(node) : relative(node, parent, out.get(parent.key)));
    for (const child of childrenOf(node)) stack.push({ node: child, parent: node });
  }
  return out;
}

function ownOffset(node: SpanNode): Skew {
  return node.clock && node.clock.offsetMs !== 0
    ? { skewMs: -node.clock.offsetMs, source: 'host-offset' }
    : { skewMs: 0, source: 'none' };
}

function relative(node: SpanNode, parent: SpanNode, parentSkew: Skew | undefined): Skew {
  const inherited = parentSkew?.skewMs ?? 0;
  if (node.event.host !== null && node.event.host === parent.event.host)
    return inherited === 0 ? { skewMs: 0, source: 'none' } : { skewMs: inherited, source: 'inherited' };
  const own = ownOffset(node);
  const pStart = parent.startMs + inherited;
  const pEnd = parent.endMs + inherited;
  const start = node.startMs + own.skewMs;
  const end = node.endMs + own.skewMs;
  const duration = node.endMs - node.startMs;
  if ((start >= pStart && end <= pEnd) || duration > pEnd - pStart) return own;
  const fitted = pStart + (pEnd - pStart - duration) / 2 - node.startMs;
  return { skewMs: Math.round(fitted * 1000) / 1000, source: 'rpc-fit' };
}
