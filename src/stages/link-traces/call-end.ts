import type { TributaryEvent } from '../../core/event.ts';
import { boundaryOf, type CallBoundary } from './call-boundary.ts';
import { pinpointHeaderLink, traceparentLink } from './link-evidence.ts';
import { isRecordedRoot, toSpanNode, type TraceSystem } from './span-node.ts';

/**
 * One end of a call that may lack its other end: a client span, or a server span that started a trace
 * (recorded no caller) and carries no ids of its caller. Indexed under its endpoint so the heuristic
 * join finds the few ends at the same endpoint instead of reading every span of a time window.
 */
export interface CallEnd {
  /** `h:<host>` (endpoint host, lowercased) or `p:<path>`; an end is indexed under each it has. */
  key: string;
  system: TraceSystem;
  role: 'client' | 'server';
  /** Start and end, epoch ms as the span's host recorded them. */
  startMs: number;
  endMs: number;
  traceId: string;
  spanId: string;
  /** The rest of the boundary, so candidates are screened before their spans are read. */
  port: string | null;
  path: string | null;
  method: string | null;
}

/** The keys an end is indexed (and looked up) under. */
export function callEndKeys(boundary: CallBoundary): string[] {
  const keys: string[] = [];
  if (boundary.host !== null) keys.push(`h:${boundary.host}`);
  if (boundary.path !== null) keys.push(`p:${boundary.path}`);
  return keys;
}

/** The call ends a stored event is, one per key (none for logs and for spans whose caller is known). */
export function callEndsOfEvent(event: TributaryEvent): CallEnd[] {
  if (event.kind !== 'span') return [];
  const node = toSpanNode(event);
  const boundary = node ? boundaryOf(node) : null;
  if (!node || !boundary) return [];
  if (boundary.role === 'server') {
    if (!isRecordedRoot(node) || pinpointHeaderLink(event) !== null || traceparentLink(event) !== null)
      return [];
  }
  return callEndKeys(boundary).map((key) => ({
    key,
    system: node.system,
    role: boundary.role,
    startMs: node.startMs,
    endMs: node.endMs,
    traceId: node.traceId,
    spanId: node.spanId,
    port: boundary.port,
    path: boundary.path,
    method: boundary.method,
  }));
}
