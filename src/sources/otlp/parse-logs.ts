import type { LogEvent } from '../../core/event.ts';
import { eventId } from '../../core/event-id.ts';
import { unwrapAnyValue, unwrapKeyValues } from './any-value.ts';
import {
  isObject,
  readHexId,
  readInstant,
  readInt32,
  readString,
  typeName,
  type JsonObject,
} from './fields.ts';
import { fail, ok, type Read } from './result.ts';
import { levelOf } from './severity.ts';
import { contextAttributes, SOURCE, walkRequest, type OtlpParseResult, type RecordContext } from './walk.ts';

/**
 * An ExportLogsServiceRequest (OTLP/JSON shape, see decode.ts) as LogEvents. The time is `timeUnixNano`,
 * else `observedTimeUnixNano`, else `receivedAt` (then `timestamp` is null). Records with malformed
 * fields or invalid trace context are rejected with their position and counted in `partialSuccess`.
 */
export function parseOtlpLogs(request: unknown, receivedAt: string): OtlpParseResult<LogEvent> {
  const layout = {
    resources: 'resourceLogs',
    scopes: 'scopeLogs',
    records: 'logRecords',
    noun: 'log record',
  };
  return walkRequest(request, layout, (record, context) => logEvent(record, context, receivedAt));
}

function logEvent(record: unknown, context: RecordContext, receivedAt: string): Read<LogEvent> {
  if (!isObject(record))
    return fail('invalid_structure', `log record must be an object, got ${typeName(record)}`);
  const time = readInstant(record.timeUnixNano, 'timeUnixNano');
  if (!time.ok) return time;
  const observed = readInstant(record.observedTimeUnixNano, 'observedTimeUnixNano');
  if (!observed.ok) return observed;
  const trace = readTrace(record);
  if (!trace.ok) return trace;
  const severityNumber = readInt32(record.severityNumber, 'severityNumber');
  if (!severityNumber.ok) return severityNumber;
  const severityText = readString(record.severityText, 'severityText');
  if (!severityText.ok) return severityText;
  const eventName = readString(record.eventName, 'eventName');
  if (!eventName.ok) return eventName;
  const body =
    record.body === undefined || record.body === null ? ok(null) : unwrapAnyValue(record.body, 'body');
  if (!body.ok) return body;
  const attributes = unwrapKeyValues(record.attributes, 'attributes');
  if (!attributes.ok) return attributes;
  const flags = readInt32(record.flags, 'flags');
  if (!flags.ok) return flags;

  const details: JsonObject = {};
  if (eventName.value !== '') details['event.name'] = eventName.value;
  if (severityNumber.value !== 0) details['otel.severity_number'] = severityNumber.value;
  if (severityText.value !== '') details['otel.severity_text'] = severityText.value;
  if (body.value !== null && typeof body.value !== 'string') details['otel.body'] = body.value;
  if (observed.value !== null) details['otel.observed_time'] = observed.value.instant;
  if (flags.value !== 0) details['otel.flags'] = flags.value;
  const when = time.value ?? observed.value;
  const message = messageOf(body.value, eventName.value);
  const level = levelOf(severityNumber.value, severityText.value);
  const allAttributes = { ...attributes.value, ...details, ...contextAttributes(context) };
  return ok({
    id: eventId(
      SOURCE,
      'log',
      context.service,
      when?.nanos,
      observed.value?.nanos,
      trace.value?.traceId,
      trace.value?.spanId,
      level,
      message,
      JSON.stringify(allAttributes),
    ),
    kind: 'log',
    source: SOURCE,
    service: context.service,
    host: context.host,
    container: context.container,
    time: when?.instant ?? receivedAt,
    timestamp: when ? when.nanos.toString() : null,
    sourceKey: null,
    sequence: null,
    trace: trace.value,
    message,
    attributes: allAttributes,
    level,
  });
}

function readTrace(record: JsonObject): Read<LogEvent['trace']> {
  const traceId = readHexId(record.traceId, 'traceId', 16);
  if (!traceId.ok) return traceId;
  const spanId = readHexId(record.spanId, 'spanId', 8);
  if (!spanId.ok) return spanId;
  if (traceId.value === null) {
    return spanId.value === null
      ? ok(null)
      : fail('invalid_trace_id', 'spanId is set but traceId is missing');
  }
  return ok({ traceId: traceId.value, spanId: spanId.value });
}

const MAX_MESSAGE_CHARS = 32 * 1024;

/** One line for full-text search: a string body as is, otherwise the event name and the body as JSON. */
function messageOf(body: unknown, eventName: string): string {
  if (typeof body === 'string') return body;
  const json = body === null ? '' : JSON.stringify(body);
  const text = eventName !== '' && json !== '' ? `${eventName} ${json}` : eventName || json;
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text;
}
