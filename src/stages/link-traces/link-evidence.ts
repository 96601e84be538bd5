import type { LogEvent, SpanEvent, TributaryEvent } from '../../core/event.ts';
import { parseTraceparent } from '../../sources/otlp/traceparent.ts';
import { parsePinpointHeaders } from '../../sources/pinpoint/headers.ts';
import { readLogIds } from './log-ids.ts';
import type { TraceLink } from './trace-link.ts';

const HEADER_ATTRIBUTE = /^http\.request\.header\.(.+)$/i;
/** Pinpoint's request header annotation (AnnotationKey 47), as the pinpoint parser names it. */
const PINPOINT_HEADER_ANNOTATION = 'pinpoint.annotation.http.req.header';

/** Every cross-trace link an event records, whichever side recorded it. */
export function linksOfEvent(event: TributaryEvent): TraceLink[] {
  if (event.kind === 'span') {
    const links: TraceLink[] = [];
    const header = pinpointHeaderLink(event);
    if (header) links.push(header);
    const traceparent = traceparentLink(event);
    if (traceparent) links.push(traceparent);
    return links;
  }
  return event.kind === 'log' ? logLinks(event) : [];
}

/**
 * A span whose server captured the caller's Pinpoint headers as OTel attributes
 * (`http.request.header.pinpoint-traceid`, `_` or `-`, string or string[]): the caller's span called it,
 * and its client event is the one whose next span id is `Pinpoint-SpanID`.
 */
export function pinpointHeaderLink(span: SpanEvent): TraceLink | null {
  if (!span.trace?.spanId) return null;
  const headers: Record<string, string | readonly string[]> = {};
  let any = false;
  for (const [key, value] of Object.entries(span.attributes)) {
    const name = HEADER_ATTRIBUTE.exec(key)?.[1]?.toLowerCase().replace(/_/g, '-');
    if (!name?.startsWith('pinpoint-')) continue;
    const text = textValues(value);
    if (text.length === 0) continue;
    headers[name] = text;
    any = true;
  }
  if (!any) return null;
  const read = parsePinpointHeaders(headers);
  if (read.kind !== 'sampled') return null;
  const { trace } = read.context;
  return {
    kind: 'header',
    relation: 'calls',
    parent: { traceId: trace.traceId, spanId: trace.parentSpanId ?? null },
    child: { traceId: span.trace.traceId, spanId: span.trace.spanId },
    calleeSpanId: trace.spanId,
  };
}

/**
 * A server span that recorded an incoming `traceparent` of another trace: Pinpoint's request header
 * annotation (`profiler.http.record.request.headers=traceparent`, a StringStringValue name/value pair or
 * `name=value` text), or an OTel `http.request.header.traceparent` attribute when the span did not
 * continue that trace.
 */
export function traceparentLink(span: SpanEvent): TraceLink | null {
  if (!span.trace?.spanId) return null;
  const candidates = [
    ...headerValues(span.attributes[PINPOINT_HEADER_ANNOTATION], 'traceparent'),
    ...textValues(span.attributes['http.request.header.traceparent']),
  ];
  for (const text of candidates) {
    const parsed = parseTraceparent(text);
    if (!parsed.ok || parsed.value.traceId === span.trace.traceId) continue;
    return {
      kind: 'traceparent',
      relation: 'calls',
      parent: { traceId: parsed.value.traceId, spanId: parsed.value.parentId },
      child: { traceId: span.trace.traceId, spanId: span.trace.spanId },
      calleeSpanId: null,
    };
  }
  return null;
}

/**
 * A log line carrying both families: a Pinpoint span and a logged `traceparent` (the caller), or a
 * Pinpoint span and OTel ids of the same work (`same`), or OTel ids and a traceparent of another trace.
 */
export function logLinks(log: LogEvent): TraceLink[] {
  const { otel, pinpoint, traceparent } = readLogIds(log);
  const links: TraceLink[] = [];
  const callee = pinpoint ?? otel;
  if (traceparent && callee && callee.traceId !== traceparent.traceId) {
    links.push({
      kind: 'log',
      relation: 'calls',
      parent: traceparent,
      child: { traceId: callee.traceId, spanId: callee.spanId },
      calleeSpanId: null,
    });
  }
  if (pinpoint && otel && pinpoint.traceId !== otel.traceId) {
    links.push({
      kind: 'log',
      relation: 'same',
      parent: otel,
      child: { traceId: pinpoint.traceId, spanId: pinpoint.spanId },
      calleeSpanId: null,
    });
  }
  return links;
}

function textValues(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() === '' ? [] : [value.trim()];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return [];
}

/** Values of one header in Pinpoint's header annotation: `{stringValue1: name, stringValue2: value}` or `name=value`. */
function headerValues(annotation: unknown, name: string): string[] {
  const items = Array.isArray(annotation) ? (annotation as unknown[]) : [annotation];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item === 'string') {
      const m = /^\s*([^=:]+)[=:]\s*(.+)$/.exec(item);
      if (m && m[1]?.trim().toLowerCase() === name && m[2]) out.push(m[2].trim());
    } else if (typeof item === 'object' && item !== null) {
      const pair = item as Record<string, unknown>;
      const key = pair.stringValue1;
      const value = pair.stringValue2;
      if (typeof key === 'string' && key.trim().toLowerCase() === name && typeof value === 'string')
        out.push(value.trim());
    }
  }
  return out;
}
