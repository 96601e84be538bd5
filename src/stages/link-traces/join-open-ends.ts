import { instantFromUnixMillis } from '../../core/time.ts';
import type { EventStore } from '../../store/event-store.ts';
import { boundaryOf } from './call-boundary.ts';
import { callEndKeys, type CallEnd } from './call-end.ts';
import type { CallEndIndex } from './call-end-index.ts';
import type { LinkTracesConfig } from './config.ts';
import { findJoin, type HeuristicContext } from './heuristic-join.ts';
import type { BoundarySpan } from './heuristic-score.ts';
import { attach, resolveParents } from './resolve-parents.ts';
import { isRecordedRoot, spanKey, toSpanNode, type SpanNode } from './span-node.ts';
import type { TraceAssembly } from './trace-assembly.ts';
import type { TraceLinkIndex } from './trace-link-index.ts';

/** Heuristic joins made so far: server span key -> its client span and the confidence. */
export type HeuristicJoins = Map<string, { parentKey: string; confidence: number }>;

export interface JoinDeps {
  store: EventStore;
  index: TraceLinkIndex;
  ends: CallEndIndex;
  config: LinkTracesConfig;
  services: readonly string[] | undefined;
}

/** Exact parents from the evidence, then the heuristic joins for spans still without one. */
export function resolveWithJoins(assembly: TraceAssembly, joins: HeuristicJoins): void {
  resolveParents(assembly.nodes, [...assembly.links.values()]);
  for (const [childKey, join] of joins) {
    const child = assembly.nodes.get(childKey);
    const parent = assembly.nodes.get(join.parentKey);
    if (child && parent && child.parentKey === null)
      attach(assembly.nodes, child, parent, { kind: 'heuristic', confidence: join.confidence });
  }
}

/**
 * Rounds of heuristic joins: each open call end of the merged trace is tried once; the traces a join
 * reaches are read (with everything linked to them) and their open ends tried in the next round, up
 * to `maxRounds`.
 */
export async function joinOpenEnds(
  deps: JoinDeps,
  assembly: TraceAssembly,
  joins: HeuristicJoins,
): Promise<void> {
  const tried = new Set<string>();
  const loaded = new Map<string, SpanNode>();
  for (let round = 0; round < deps.config.heuristic.maxRounds; round++) {
    const open = openEnds(assembly.nodes);
    const subjects = [...open.values()].filter((s) => !tried.has(s.node.key));
    const ctx = heuristicContext(deps, assembly, open, loaded);
    const reached: string[] = [];
    let made = 0;
    for (const subject of subjects) {
      tried.add(subject.node.key);
      if (!open.has(subject.node.key)) continue;
      const join = await findJoin(subject, ctx);
      if (!join) continue;
      made += 1;
      joins.set(join.server.key, { parentKey: join.client.key, confidence: join.confidence });
      for (const node of [join.client, join.server]) {
        open.delete(node.key);
        tried.add(node.key);
        if (!assembly.nodes.has(node.key)) reached.push(node.traceId);
      }
    }
    if (made === 0) return;
    await assembly.expand(reached);
    resolveWithJoins(assembly, joins);
    if (reached.length === 0) return;
  }
}

/**
 * Call ends without their other end: client spans nobody is a child of, and server spans that started
 * their trace (a span whose recorded caller is missing had a caller of its own system) still without
 * parent.
 */
function openEnds(nodes: ReadonlyMap<string, SpanNode>): Map<string, BoundarySpan> {
  const parents = new Set<string>();
  for (const node of nodes.values()) if (node.parentKey !== null) parents.add(node.parentKey);
  const out = new Map<string, BoundarySpan>();
  for (const node of nodes.values()) {
    const boundary = boundaryOf(node);
    if (!boundary) continue;
    const open =
      boundary.role === 'client' ? !parents.has(node.key) : node.parentKey === null && isRecordedRoot(node);
    if (open) out.set(node.key, { node, boundary });
  }
  return out;
}

function heuristicContext(
  deps: JoinDeps,
  assembly: TraceAssembly,
  open: ReadonlyMap<string, BoundarySpan>,
  loaded: Map<string, SpanNode>,
): HeuristicContext {
  const { config, services } = deps;
  return {
    config: config.heuristic,
    component: assembly.nodes,
    open: new Set(open.keys()),
    linksOf: (traceIds) => deps.index.linksOf(traceIds),
    async endsNear(near, system, role, { fromMs, toMs }, accept) {
      const { maxCandidates, maxEndsRead } = config.heuristic;
      const keys = callEndKeys(near);
      if (keys.length === 0) return [];
      const read = await deps.ends.near({ keys, system, role, fromMs, toMs, limit: maxEndsRead + 1 });
      const ends = read.filter(accept);
      if (read.length > maxEndsRead || ends.length > maxCandidates) return null;
      const nodes: SpanNode[] = [];
      for (const end of ends) {
        const key = spanKey(end.traceId, end.spanId);
        const node = assembly.nodes.get(key) ?? loaded.get(key) ?? (await readEnd(deps.store, services, end));
        if (!node) continue;
        loaded.set(key, node);
        nodes.push(node);
      }
      return nodes;
    },
  };
}

/** The stored span of a call end, with its ordering (null when gone, or not visible to the team). */
async function readEnd(
  store: EventStore,
  services: readonly string[] | undefined,
  end: CallEnd,
): Promise<SpanNode | null> {
  const from = instantFromUnixMillis(Math.floor(end.startMs));
  const to = instantFromUnixMillis(Math.floor(end.startMs) + 1);
  if (from === null || to === null) return null;
  const page = await store.query({
    traceId: end.traceId,
    kinds: ['span'],
    from,
    to,
    limit: 100,
    order: 'asc',
    sortBy: 'causal',
    ...(services ? { services } : {}),
  });
  for (const event of page.items) {
    if (event.kind !== 'span' || event.trace?.spanId !== end.spanId) continue;
    return toSpanNode(event, page.orderings?.[event.id]);
  }
  return null;
}
