import type { SpanEvent } from '../../core/event.ts';
import { eventId } from '../../core/event-id.ts';
import { unwrapKeyValues } from './any-value.ts';
import {
  isObject,
  readArray,
  readEnum,
  readHexId,
  readInstant,
  readInt32,
  readString,
  typeName,
  type Instant,
  type JsonObject,
} from './fields.ts';
import { fail, ok, type Read } from './result.ts';
import { contextAttributes, SOURCE, walkRequest, type OtlpParseResult, type RecordContext } from './walk.ts';

const SPAN_KINDS = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
const KIND_OF: readonly SpanEvent['spanKind'][] = [
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
const STATUS_OF: readonly SpanEvent['status'][] = ['unset', 'ok', 'error'];

/**
 * An ExportTraceServiceRequest (OTLP/JSON shape, see decode.ts) as SpanEvents. Each span that cannot be
 * used (ids missing, of the wrong length, all zero or not hex; bad times; wrong field types) is rejected
 * with its position, and counted in `partialSuccess` for the `rejectedSpans` of the response.
 * Spans carry their own times, so `receivedAt` is not needed; it is taken for a uniform parser signature.
 */
export function parseOtlpTraces(request: unknown, _receivedAt: string): OtlpParseResult<SpanEvent> {
  return walkRequest(
    request,
    { resources: 'resourceSpans', scopes: 'scopeSpans', records: 'spans', noun: 'span' },
    spanEvent,
  );
}

function spanEvent(record: unknown, context: RecordContext): Read<SpanEvent> {
  if (!isObject(record)) return fail('invalid_structure', `span must be an object, got ${typeName(record)}`);
  const traceId = readHexId(record.traceId, 'traceId', 16);
  if (!traceId.ok) return traceId;
  if (traceId.value === null) return fail('invalid_trace_id', 'traceId is missing');
  const spanId = readHexId(record.spanId, 'spanId', 8);
  if (!spanId.ok) return spanId;
  if (spanId.value === null) return fail('invalid_span_id', 'spanId is missing');
  const parentSpanId = readHexId(record.parentSpanId, 'parentSpanId', 8);
  if (!parentSpanId.ok) return parentSpanId;
  const name = readString(record.name, 'name');
  if (!name.ok) return name;
  const kind = readEnum(record.kind, 'kind', SPAN_KINDS);
  if (!kind.ok) return kind;
  const times = readTimes(record);
  if (!times.ok) return times;
  const status = readStatus(record.status);
  if (!status.ok) return status;
  const attributes = unwrapKeyValues(record.attributes, 'attributes');
  if (!attributes.ok) return attributes;
  const details = readDetails(record);
  if (!details.ok) return details;
  const [start, end] = times.value;
  return ok({
    id: eventId(SOURCE, traceId.value, spanId.value),
    kind: 'span',
    source: SOURCE,
    service: context.service,
    host: context.host,
    container: context.container,
    time: start.instant,
    timestamp: start.nanos.toString(),
    sourceKey: null,
    sequence: null,
    trace: { traceId: traceId.value, spanId: spanId.value, parentSpanId: parentSpanId.value },
    message: name.value,
    attributes: {
      ...attributes.value,
      ...details.value,
      ...status.value.attributes,
      ...contextAttributes(context),
    },
    name: name.value,
    spanKind: KIND_OF[kind.value] ?? 'unspecified',
    endTime: end.instant,
    durationMs: Number(end.nanos - start.nanos) / 1e6,
    status: status.value.status,
  });
}

function readTimes(record: JsonObject): Read<[Instant, Instant]> {
  const start = readInstant(record.startTimeUnixNano, 'startTimeUnixNano');
  if (!start.ok) return start;
  if (start.value === null) return fail('invalid_time', 'startTimeUnixNano is missing or 0');
  const end = readInstant(record.endTimeUnixNano, 'endTimeUnixNano');
  if (!end.ok) return end;
  if (end.value === null) return fail('invalid_time', 'endTimeUnixNano is missing or 0');
  if (end.value.nanos < start.value.nanos) {
    return fail(
      'invalid_time',
      `endTimeUnixNano ${end.value.nanos} is before startTimeUnixNano ${start.value.nanos}`,
    );
  }
  return ok([start.value, end.value]);
}

function readStatus(value: unknown): Read<{ status: SpanEvent['status']; attributes: JsonObject }> {
  if (value === undefined || value === null) return ok({ status: 'unset', attributes: {} });
  if (!isObject(value)) return fail('invalid_field_type', `status must be an object, got ${typeName(value)}`);
  const code = readEnum(value.code, 'status.code', STATUS_CODES);
  if (!code.ok) return code;
  const message = readString(value.message, 'status.message');
  if (!message.ok) return message;
  const status = STATUS_OF[code.value] ?? 'unset';
  const attributes: JsonObject = status === 'unset' ? {} : { 'otel.status_code': status.toUpperCase() };
  if (message.value !== '') attributes['otel.status_description'] = message.value;
  return ok({ status, attributes });
}

/** trace state, flags, span events and links, kept under `otel.` names. */
function readDetails(record: JsonObject): Read<JsonObject> {
  const out: JsonObject = {};
  const traceState = readString(record.traceState, 'traceState');
  if (!traceState.ok) return traceState;
  if (traceState.value !== '') out['otel.trace_state'] = traceState.value;
  const flags = readInt32(record.flags, 'flags');
  if (!flags.ok) return flags;
  if (flags.value !== 0) out['otel.flags'] = flags.value;
  const events = readSpanEvents(record.events);
  if (!events.ok) return events;
  if (events.value.length > 0) out['otel.events'] = events.value;
  const links = readLinks(record.links);
  if (!links.ok) return links;
  if (links.value.length > 0) out['otel.links'] = links.value;
  return ok(out);
}

function readSpanEvents(value: unknown): Read<JsonObject[]> {
  const list = readArray(value, 'events');
  if (!list.ok) return list;
  const out: JsonObject[] = [];
  for (const [i, item] of list.value.entries()) {
    const at = `events[${i}]`;
    if (!isObject(item)) return fail('invalid_field_type', `${at} must be an object, got ${typeName(item)}`);
    const time = readInstant(item.timeUnixNano, `${at}.timeUnixNano`);
    if (!time.ok) return time;
    const name = readString(item.name, `${at}.name`);
    if (!name.ok) return name;
    const attributes = unwrapKeyValues(item.attributes, `${at}.attributes`);
    if (!attributes.ok) return attributes;
    out.push({ name: name.value, time: time.value?.instant ?? null, attributes: attributes.value });
  }
  return ok(out);
}

function readLinks(value: unknown): Read<JsonObject[]> {
  const list = readArray(value, 'links');
  if (!list.ok) return list;
  const out: JsonObject[] = [];
  for (const [i, item] of list.value.entries()) {
    const at = `links[${i}]`;
    if (!isObject(item)) return fail('invalid_field_type', `${at} must be an object, got ${typeName(item)}`);
    const traceId = readHexId(item.traceId, `${at}.traceId`, 16);
    if (!traceId.ok) return traceId;
    const spanId = readHexId(item.spanId, `${at}.spanId`, 8);
    if (!spanId.ok) return spanId;
    if (traceId.value === null || spanId.value === null)
      return fail('invalid_link', `${at} needs both traceId and spanId`);
    const traceState = readString(item.traceState, `${at}.traceState`);
    if (!traceState.ok) return traceState;
    const attributes = unwrapKeyValues(item.attributes, `${at}.attributes`);
    if (!attributes.ok) return attributes;
    const link: JsonObject = { traceId: traceId.value, spanId: spanId.value, attributes: attributes.value };
    if (traceState.value !== '') link.traceState = traceState.value;
    out.push(link);
  }
  return ok(out);
}
