import type { SpanEvent } from '../../core/event.ts';
import { unixMillis } from '../../core/time.ts';
import type { EventOrdering } from '../../store/event-store.ts';
import type { SpanLink } from './trace-link.ts';

/** Which tracing system recorded a span: Pinpoint, or anything with W3C ids (OTLP). */
export type TraceSystem = 'pinpoint' | 'otel';

/** The raw Pinpoint ids the pinpoint parser keeps as attributes, decimal as Pinpoint writes them. */
export interface PinpointIds {
  transactionId: string;
  spanId: string;
  /** The caller's span (spans only); null for a root (-1) and for span events. */
  parentSpanId: string | null;
  /** A span event (a child span the parser made of a Pinpoint span event), not a Pinpoint span. */
  isEvent: boolean;
  /** A client event's callee span id. */
  nextSpanId: string | null;
  /** A chunk event's local async id, and the async id an event started. */
  asyncId: number | null;
  nextAsyncId: number | null;
}

/** One span while a merged trace is assembled. Times are epoch ms as the span's host clock said. */
export interface SpanNode {
  key: string;
  event: SpanEvent;
  traceId: string;
  spanId: string;
  system: TraceSystem;
  startMs: number;
  endMs: number;
  /** Host clock offset the ordering stage estimated (ms to subtract) with its error bound; null when unknown. */
  clock: { offsetMs: number; errorMs: number } | null;
  pinpoint: PinpointIds | null;
  parentKey: string | null;
  link: SpanLink | null;
}

export function spanKey(traceId: string, spanId: string): string {
  return `${traceId}/${spanId}`;
}

/** A stored span as a node (null without a span id, which no parser produces). */
export function toSpanNode(event: SpanEvent, ordering?: EventOrdering): SpanNode | null {
  const trace = event.trace;
  if (!trace?.spanId) return null;
  const clock =
    ordering && ordering.offsetMs !== null
      ? { offsetMs: ordering.offsetMs, errorMs: ordering.errorMs ?? 0 }
      : null;
  return {
    key: spanKey(trace.traceId, trace.spanId),
    event,
    traceId: trace.traceId,
    spanId: trace.spanId,
    system: event.source === 'pinpoint' ? 'pinpoint' : 'otel',
    startMs: unixMillis(event.time),
    endMs: unixMillis(event.endTime),
    clock,
    pinpoint: event.source === 'pinpoint' ? pinpointIds(event.attributes) : null,
    parentKey: null,
    link: null,
  };
}

function pinpointIds(attributes: Record<string, unknown>): PinpointIds | null {
  const transactionId = attributes['pinpoint.transactionId'];
  const spanId = decimal(attributes['pinpoint.spanId']);
  if (typeof transactionId !== 'string' || spanId === null) return null;
  const parent = decimal(attributes['pinpoint.parentSpanId']);
  return {
    transactionId,
    spanId,
    parentSpanId: parent === '-1' ? null : parent,
    isEvent: attributes['pinpoint.sequence'] !== undefined,
    nextSpanId: decimal(attributes['pinpoint.nextSpanId']),
    asyncId: integer(attributes['pinpoint.asyncId']),
    nextAsyncId: integer(attributes['pinpoint.nextAsyncId']),
  };
}

function decimal(value: unknown): string | null {
  if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return null;
}

function integer(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}

/** Start and end on a shared clock when the host offset is known (else as recorded). */
export function correctedStart(node: SpanNode): number {
  return node.startMs - (node.clock?.offsetMs ?? 0);
}

/**
 * Whether the span started its trace: no recorded caller (OTel: no parent span id; Pinpoint: parent
 * span -1). Only such a server span can have a caller in the other system.
 */
export function isRecordedRoot(node: SpanNode): boolean {
  return node.pinpoint
    ? !node.pinpoint.isEvent && node.pinpoint.parentSpanId === null
    : !node.event.trace?.parentSpanId;
}
