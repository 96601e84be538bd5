import { readAnnotations } from './annotations.ts';
import { compact, isObject, num, readException, text, typeName, type JsonObject } from './json.ts';
import { fail, ok, type Failure, type Read } from './result.ts';
import { checkSpanId, NULL_SPAN_ID, readLong } from './transaction-id.ts';

/**
 * How an event's offsets are written.
 * - `wire` (PSpanEvent as the agents send it, GrpcSpanFactory on the collector): startElapsed is the
 *   delta from the previous event's start (the first from the span start / chunk keyTime), endElapsed is
 *   the event's duration, and depth 0 means "same depth as the previous event".
 * - `absolute` (SpanEventBo, the plain shape): startElapsed is from the span start, endElapsed the duration.
 */
export type EventTiming = 'wire' | 'absolute';

/** One span event with its offsets resolved, or the reason it is unusable. */
export interface EventRecord {
  /** Position in the input list, for rejection locations. */
  index: number;
  sequence: number;
  depth: number;
  /** Milliseconds from the span start (chunk: keyTime). */
  startOffsetMs: number;
  durationMs: number;
  api: string | null;
  nextSpanId: bigint | null;
  nextAsyncId: number | null;
  destinationId: string | null;
  error: boolean;
  attributes: JsonObject;
}

export type EventEntry = { ok: true; value: EventRecord } | (Failure & { index: number; raw: unknown });

const INT32 = 2 ** 31;

/** Reads a span's event list; a bad event is an entry of its own, its neighbours stay usable. */
export function readSpanEvents(list: unknown, field: string, timing: EventTiming): Read<EventEntry[]> {
  if (list === undefined || list === null) return ok([]);
  if (!Array.isArray(list))
    return fail('invalid_field_type', `${field} must be an array, got ${typeName(list)}`);
  const entries: EventEntry[] = [];
  let previous: EventRecord | null = null;
  for (const [index, item] of list.entries()) {
    const event = readEvent(item, `${field}[${index}]`, index, timing, previous);
    if (event.ok) previous = event.value;
    entries.push(event.ok ? event : { ...event, index, raw: item });
  }
  return ok(entries);
}

function readEvent(
  item: unknown,
  at: string,
  index: number,
  timing: EventTiming,
  previous: EventRecord | null,
): Read<EventRecord> {
  if (!isObject(item)) return fail('invalid_structure', `${at} must be an object, got ${typeName(item)}`);
  const ints = readInts(item, at, ['sequence', 'depth', 'startElapsed', 'endElapsed']);
  if (!ints.ok) return ints;
  const [sequence, depth, startElapsed, endElapsed] = ints.value as [number, number, number, number];
  if (endElapsed < 0) return fail('invalid_time', `${at}.endElapsed ${endElapsed} is negative`);
  const startOffsetMs =
    timing === 'wire' && previous !== null ? previous.startOffsetMs + startElapsed : startElapsed;
  const resolvedDepth = depth >= 1 ? depth : (previous?.depth ?? 1);
  const message =
    isObject(item.nextEvent) && isObject(item.nextEvent.messageEvent) ? item.nextEvent.messageEvent : item;
  const next = readNextSpanId(message.nextSpanId, `${at}.nextSpanId`);
  if (!next.ok) return next;
  const annotations = readAnnotations(item.annotation ?? item.annotations, `${at}.annotation`);
  if (!annotations.ok) return annotations;
  const nextAsyncId =
    (isObject(item.nextEvent) ? num(item.nextEvent.asyncEvent) : null) ??
    num(item.asyncEvent) ??
    num(item.nextAsyncId);
  const exception = readException(item.exceptionInfo);
  const destinationId = text(message.destinationId);
  const attributes = compact({
    'pinpoint.sequence': sequence,
    'pinpoint.depth': resolvedDepth,
    'pinpoint.serviceType': num(item.serviceType),
    'pinpoint.apiId': num(item.apiId),
    'pinpoint.nextSpanId': next.value?.toString() ?? null,
    'pinpoint.endPoint': text(message.endPoint),
    'pinpoint.destinationId': destinationId,
    'pinpoint.nextAsyncId': nextAsyncId,
    'pinpoint.exception': exception,
  });
  const explicitApi = text(item.api) ?? text(item.apiName) ?? text(item.methodName);
  return ok({
    index,
    sequence,
    depth: resolvedDepth,
    startOffsetMs,
    durationMs: endElapsed,
    api: explicitApi ?? annotations.value.api,
    nextSpanId: next.value,
    nextAsyncId,
    destinationId,
    error: exception !== null,
    attributes: { ...attributes, ...annotations.value.attributes },
  });
}

function readInts(item: JsonObject, at: string, names: readonly string[]): Read<number[]> {
  const out: number[] = [];
  for (const name of names) {
    const value = item[name] ?? 0;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < -INT32 || value >= INT32) {
      return fail(
        name.endsWith('Elapsed') ? 'invalid_time' : 'invalid_field_type',
        `${at}.${name} must be an int32, got ${typeName(value)}`,
      );
    }
    out.push(value);
  }
  return ok(out);
}

/** nextSpanId: absent, 0 and -1 (SpanId.NULL) mean no next span. */
function readNextSpanId(value: unknown, field: string): Read<bigint | null> {
  if (value === undefined || value === null) return ok(null);
  const id = readLong(value, field);
  if (!id.ok) return fail('invalid_next_span_id', id.detail);
  if (id.value === 0n || id.value === NULL_SPAN_ID) return ok(null);
  const checked = checkSpanId(id.value, field);
  return checked.ok ? checked : fail('invalid_next_span_id', checked.detail);
}
