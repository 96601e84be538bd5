import type { ParseResult, Rejection, SpanEvent } from '../../core/event.ts';
import { isObject, parseJsonKeepingBigIntegers, rawText, typeName } from './json.ts';
import type { Read } from './result.ts';
import {
  readPlainSpan,
  readPSpan,
  readPSpanChunk,
  type PinpointAgentInfo,
  type SpanRecord,
} from './span-record.ts';
import { asyncKey, SOURCE, spanEventSpanId, toSpanEvents } from './to-span-events.ts';
import { formatTransactionId } from './transaction-id.ts';

export type { PinpointAgentInfo } from './span-record.ts';

export interface PinpointParseOptions {
  /**
   * Identity of the sending agent (the gRPC metadata of the real protocol; for HTTP, e.g. from headers
   * `agentid` / `applicationname`). An envelope `{agentId, applicationName, messages}` in the body wins.
   */
  agent?: PinpointAgentInfo;
}

interface Item {
  location: string;
  value: unknown;
  agent: PinpointAgentInfo;
}

/**
 * Pinpoint spans as SpanEvents (source `pinpoint`). The body may be:
 * - `{agentId?, applicationName?, messages: [PSpanMessage...]}` (as pspan-messages-constructed.json),
 * - an array of PSpanMessage or plain spans, or one of them alone.
 * A PSpanMessage is `{span: PSpan}` or `{spanChunk: PSpanChunk}` in proto3 JSON; a bare PSpan (with a
 * PTransactionId object) is accepted too. The plain shape has `transactionId` as text and `spanEvents[]`.
 * Span events become child spans (see to-span-events.ts). Bad records are rejected with their position.
 * Spans carry their own times, so `receivedAt` is only part of the uniform parser signature.
 */
export function parsePinpointSpans(
  body: unknown,
  _receivedAt: string,
  options: PinpointParseOptions = {},
): ParseResult<SpanEvent> {
  const rejections: Rejection[] = [];
  const items = itemsOf(body, options.agent ?? {}, rejections);
  const records: { record: SpanRecord; location: string }[] = [];
  for (const item of items) {
    const { location, record } = readItem(item);
    if (record.ok) records.push({ record: record.value, location });
    else {
      const detail = `${location}: ${record.detail}`;
      rejections.push({ source: SOURCE, reason: record.reason, detail, location, raw: rawText(item.value) });
    }
  }
  const { asyncParents, spanStarts } = indexSpans(records.map((r) => r.record));
  const events: SpanEvent[] = [];
  for (const { record, location } of records) {
    const base =
      record.startMs ??
      spanStarts.get(`${formatTransactionId(record.transactionId)}|${record.spanId}`) ??
      null;
    if (base === null) {
      const detail =
        'span chunk has no keyTime and its span is not in the same batch, so its events cannot be timed';
      rejections.push({
        source: SOURCE,
        reason: 'missing_key_time',
        detail: `${location}: ${detail}`,
        location,
        raw: rawText(record.attributes),
      });
      continue;
    }
    const converted = toSpanEvents(record, base, location, asyncParents);
    events.push(...converted.events);
    rejections.push(...converted.rejections);
  }
  return { events, rejections };
}

/** The same, from the request body text: big integer literals keep every digit. */
export function parsePinpointSpansText(
  text: string,
  receivedAt: string,
  options: PinpointParseOptions = {},
): ParseResult<SpanEvent> {
  let body: unknown;
  try {
    body = parseJsonKeepingBigIntegers(text);
  } catch (error) {
    const detail = `body is not valid JSON: ${(error instanceof Error ? error.message : String(error)).slice(0, 200)}`;
    return {
      events: [],
      rejections: [
        { source: SOURCE, reason: 'invalid_json', detail, location: 'body', raw: text.slice(0, 16 * 1024) },
      ],
    };
  }
  return parsePinpointSpans(body, receivedAt, options);
}

function itemsOf(body: unknown, agent: PinpointAgentInfo, rejections: Rejection[]): Item[] {
  if (Array.isArray(body)) return body.map((value, i) => ({ location: `[${i}]`, value, agent }));
  if (isObject(body) && body.messages !== undefined) {
    const own: PinpointAgentInfo = {
      agentId: typeof body.agentId === 'string' ? body.agentId : agent.agentId,
      applicationName:
        typeof body.applicationName === 'string' ? body.applicationName : agent.applicationName,
    };
    if (Array.isArray(body.messages))
      return body.messages.map((value, i) => ({ location: `messages[${i}]`, value, agent: own }));
    const detail = `messages must be an array, got ${typeName(body.messages)}`;
    rejections.push({
      source: SOURCE,
      reason: 'invalid_structure',
      detail: `body: ${detail}`,
      location: 'body',
      raw: rawText(body),
    });
    return [];
  }
  return [{ location: 'body', value: body, agent }];
}

/** The message's span record, and its location refined to the oneof field it came in. */
function readItem(item: Item): { location: string; record: Read<SpanRecord> } {
  const { value, agent, location } = item;
  if (!isObject(value)) {
    const detail = `expected a span message object, got ${typeName(value)}`;
    return { location, record: { ok: false, reason: 'invalid_structure', detail } };
  }
  if (isObject(value.span)) return { location: `${location}.span`, record: readPSpan(value.span, agent) };
  if (isObject(value.spanChunk))
    return { location: `${location}.spanChunk`, record: readPSpanChunk(value.spanChunk, agent) };
  if (isObject(value.transactionId) && value.spanEvents === undefined)
    return { location, record: readPSpan(value, agent) };
  if (value.transactionId !== undefined) return { location, record: readPlainSpan(value, agent) };
  const detail = 'expected {span}, {spanChunk}, a PSpan or a plain span with transactionId';
  return { location, record: { ok: false, reason: 'unknown_shape', detail } };
}

/** Events that started async work (nextAsyncId), and span starts, so chunks in the same batch can use them. */
function indexSpans(records: readonly SpanRecord[]): {
  asyncParents: Map<string, string>;
  spanStarts: Map<string, bigint>;
} {
  const asyncParents = new Map<string, string>();
  const spanStarts = new Map<string, bigint>();
  for (const record of records) {
    if (record.kind !== 'span') continue;
    const txText = formatTransactionId(record.transactionId);
    if (record.startMs !== null) spanStarts.set(`${txText}|${record.spanId}`, record.startMs);
    for (const entry of record.events) {
      if (entry.ok && entry.value.nextAsyncId !== null) {
        asyncParents.set(
          asyncKey(txText, record.spanId, entry.value.nextAsyncId),
          spanEventSpanId(txText, record.spanId, entry.value.sequence, null),
        );
      }
    }
  }
  return { asyncParents, spanStarts };
}
