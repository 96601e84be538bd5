import { spanIdToHex } from '../../sources/pinpoint/transaction-id.ts';
import { boundaryOf, type CallBoundary } from './call-boundary.ts';
import type { CallEnd } from './call-end.ts';
import type { HeuristicConfig } from './config.ts';
import { joinScore, type BoundarySpan } from './heuristic-score.ts';
import { pinpointHeaderLink, traceparentLink } from './link-evidence.ts';
import { isRecordedRoot, type SpanNode, type TraceSystem } from './span-node.ts';
import type { TraceLink } from './trace-link.ts';

/** A client span of one system joined to a server span of the other by timing and endpoint. */
export interface HeuristicJoin {
  client: SpanNode;
  server: SpanNode;
  confidence: number;
}

export interface HeuristicContext {
  config: HeuristicConfig;
  /**
   * Call ends of `system` and `role` at the endpoint (host or path) of `near` that started in
   * [fromMs, toMs] and pass `accept` (checked before their spans are read), as spans; null when more
   * than the bound pass (too busy to tell apart).
   */
  endsNear(
    near: CallBoundary,
    system: TraceSystem,
    role: 'client' | 'server',
    window: { fromMs: number; toMs: number },
    accept: (end: CallEnd) => boolean,
  ): Promise<SpanNode[] | null>;
  linksOf(traceIds: readonly string[]): Promise<TraceLink[]>;
  /** Spans already in the merged trace, by key. */
  component: ReadonlyMap<string, SpanNode>;
  /** Keys of component spans that are unresolved call ends (clients without callee, servers without caller). */
  open: ReadonlySet<string>;
}

/**
 * The best counterpart of an unresolved call end, if the fit is unambiguous. Candidates are the open
 * call ends of the other system in the time window the clock bound allows; the best one must in turn
 * rank `subject` first among its own competitors. Confidence is the fit scaled by how far both choices
 * stand above their runner-up (`1 - second/best` on each side), so a busy endpoint where several calls
 * fit gets a low confidence and no join.
 */
export async function findJoin(subject: BoundarySpan, ctx: HeuristicContext): Promise<HeuristicJoin | null> {
  const { config } = ctx;
  const want = subject.boundary.role === 'client' ? 'server' : 'client';
  const other: TraceSystem = subject.node.system === 'pinpoint' ? 'otel' : 'pinpoint';
  const candidates = await openSides(ctx, subject, other, want, null);
  if (candidates === null) return null;
  const ranked = rank(subject, candidates, config);
  const best = ranked[0];
  if (!best) return null;
  const competitors = await openSides(ctx, best.side, subject.node.system, subject.boundary.role, subject);
  if (competitors === null) return null;
  const back = rank(best.side, competitors, config);
  if (back[0]?.side.node.key !== subject.node.key) return null;
  const uniqueness = Math.min(margin(ranked), margin(back));
  const confidence = Math.round(best.score * uniqueness * 1000) / 1000;
  if (confidence < config.minConfidence) return null;
  const [client, server] =
    want === 'server' ? [subject.node, best.side.node] : [best.side.node, subject.node];
  return { client, server, confidence };
}

function rank(
  subject: BoundarySpan,
  others: readonly BoundarySpan[],
  config: HeuristicConfig,
): { side: BoundarySpan; score: number }[] {
  const out: { side: BoundarySpan; score: number }[] = [];
  for (const side of others) {
    const score =
      subject.boundary.role === 'client'
        ? joinScore(subject, side, config)
        : joinScore(side, subject, config);
    if (score !== null) out.push({ side, score });
  }
  return out.sort((a, b) => b.score - a.score || a.side.node.key.localeCompare(b.side.node.key));
}

function margin(ranked: readonly { score: number }[]): number {
  const [first, second] = ranked;
  if (!first) return 0;
  return second ? Math.max(0, 1 - second.score / first.score) : 1;
}

/** Where the other end may have started, on raw clocks. */
function windowOf(side: BoundarySpan, config: HeuristicConfig): [number, number] {
  const slack = config.maxClockSkewMs + config.roundingMs;
  const { startMs, endMs } = side.node;
  return side.boundary.role === 'client'
    ? [startMs - slack, endMs + slack]
    : [startMs - slack - config.maxNetworkMs, startMs + slack];
}

/**
 * Open call ends of `role` at the endpoint of `near` in the window its timing allows (`include` added
 * when missing: the subject competes for its own best match), or null when too many to tell apart.
 */
async function openSides(
  ctx: HeuristicContext,
  near: BoundarySpan,
  system: TraceSystem,
  role: 'client' | 'server',
  include: BoundarySpan | null,
): Promise<BoundarySpan[] | null> {
  const [fromMs, toMs] = windowOf(near, ctx.config);
  const accept = endFits(near, ctx.config);
  const read = await ctx.endsNear(near.boundary, system, role, { fromMs, toMs }, accept);
  if (read === null) return null;
  const sides: BoundarySpan[] = [];
  for (const found of read) {
    const node = ctx.component.get(found.key) ?? found;
    const boundary = boundaryOf(node);
    if (boundary?.role === role && node.key !== include?.node.key) sides.push({ node, boundary });
  }
  if (include) sides.push(include);
  const outside = sides.filter((s) => !ctx.component.has(s.node.key));
  const explained = explainedEnds(await ctx.linksOf([...new Set(outside.map((s) => s.node.traceId))]));
  return sides.filter((s) =>
    ctx.component.has(s.node.key) ? ctx.open.has(s.node.key) : isOpenOutside(s, explained),
  );
}

/**
 * Clock-free pre-check of an indexed end against `near`: endpoint port, path and method agree where both
 * say, a server does not outlast its client, and the difference is bounded.
 */
function endFits(near: BoundarySpan, config: HeuristicConfig): (end: CallEnd) => boolean {
  const own = near.node.endMs - near.node.startMs;
  const r = config.roundingMs;
  const b = near.boundary;
  const differs = (x: string | null, y: string | null): boolean => x !== null && y !== null && x !== y;
  return (end) => {
    if (differs(b.port, end.port) || differs(b.path, end.path) || differs(b.method, end.method)) return false;
    const gap =
      near.boundary.role === 'client' ? own - (end.endMs - end.startMs) : end.endMs - end.startMs - own;
    return gap >= -r && gap <= config.maxNetworkMs + r;
  };
}

/** Call ends that exact links already explain: callees, callers, and Pinpoint client events by callee id. */
function explainedEnds(links: readonly TraceLink[]): Set<string> {
  const out = new Set<string>();
  for (const link of links) {
    if (link.child.spanId !== null) out.add(`${link.child.traceId}/${link.child.spanId}`);
    if (link.calleeSpanId !== null) out.add(`${link.parent.traceId}#${link.calleeSpanId}`);
    else if (link.parent.spanId !== null) out.add(`${link.parent.traceId}/${link.parent.spanId}`);
  }
  return out;
}

function isOpenOutside(side: BoundarySpan, explained: ReadonlySet<string>): boolean {
  const { node } = side;
  if (side.boundary.role === 'server') {
    return (
      isRecordedRoot(node) &&
      !explained.has(node.key) &&
      pinpointHeaderLink(node.event) === null &&
      traceparentLink(node.event) === null
    );
  }
  const next = node.pinpoint?.nextSpanId;
  if (next !== null && next !== undefined)
    return !explained.has(`${node.traceId}#${spanIdToHex(BigInt(next))}`);
  return !explained.has(node.key);
}
