import type { CallBoundary } from './call-boundary.ts';
import type { HeuristicConfig } from './config.ts';
import type { SpanNode } from './span-node.ts';

/** A span with the call boundary it is one end of. */
export interface BoundarySpan {
  node: SpanNode;
  boundary: CallBoundary;
}

/**
 * How well a client span of one system and a server span of the other fit as the two ends of one call,
 * in (0, 1], or null when they cannot be (same system, an endpoint or path that differs, nothing to
 * compare, or timing impossible within the clock bound). Durations do not depend on clocks: the server
 * must not outlast the client (beyond rounding), and the difference is network and client overhead.
 * Starts are compared on the shared clock when both hosts' offsets are known (bound: their errors),
 * else raw (bound: maxClockSkewMs).
 */
export function joinScore(
  client: BoundarySpan,
  server: BoundarySpan,
  config: HeuristicConfig,
): number | null {
  const c = client.boundary;
  const s = server.boundary;
  if (c.role !== 'client' || s.role !== 'server' || c.system === s.system) return null;
  const endpoint = compare(c.host, s.host) && compare(c.port, s.port);
  if (endpoint === false) return null;
  const path = compare(c.path, s.path);
  if (path === false || compare(c.method, s.method) === false) return null;
  const endpointMatched = endpoint === true && c.host !== null;
  if (!endpointMatched && path !== true) return null;

  const r = config.roundingMs;
  const gap = duration(client.node) - duration(server.node);
  if (gap < -r || gap > config.maxNetworkMs + r) return null;
  const known = client.node.clock !== null && server.node.clock !== null;
  const bound = known
    ? (client.node.clock?.errorMs ?? 0) + (server.node.clock?.errorMs ?? 0) + r
    : config.maxClockSkewMs;
  const offset = (n: SpanNode): number => (known ? (n.clock?.offsetMs ?? 0) : 0);
  const d = server.node.startMs - offset(server.node) - (client.node.startMs - offset(client.node));
  const half = Math.max(0, gap) / 2;
  if (d < -bound - r || d > Math.max(0, gap) + bound + r) return null;

  const timingFit = 1 - Math.min(1, Math.abs(d - half) / (bound + half + r));
  const gapFit = 1 - Math.min(1, Math.max(0, gap) / (config.maxNetworkMs + r));
  const evidence = endpointMatched && path === true ? 1 : path === true ? 0.9 : 0.75;
  return evidence * (0.5 + 0.25 * timingFit + 0.25 * gapFit);
}

/** true = equal, false = both known and different, null = one side unknown. */
function compare(a: string | null, b: string | null): boolean | null {
  if (a === null || b === null) return null;
  return a === b;
}

function duration(node: SpanNode): number {
  return node.endMs - node.startMs;
}
