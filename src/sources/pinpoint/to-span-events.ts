import { createHash } from 'node:crypto';
import type { Rejection, SpanEvent } from '../../core/event.ts';
import { eventId } from '../../core/event-id.ts';
import { instantFromUnixNanos } from '../../core/time.ts';
import { rawText, type JsonObject } from './json.ts';
import type { EventRecord } from './span-event-record.ts';
import type { SpanRecord } from './span-record.ts';
import { formatTransactionId, spanIdToHex, traceIdFromTransactionId } from './transaction-id.ts';

export const SOURCE = 'pinpoint';

/** Where to hang the first-level events of a chunk: the span event whose nextAsyncId started it. */
export type AsyncParents = ReadonlyMap<string, string>;

export function asyncKey(txText: string, spanId: bigint, asyncId: number): string {
  return `${txText}|${spanId}|${asyncId}`;
}

/**
 * The OTel-shaped span id of a span event (Pinpoint events have none): the first 8 bytes of SHA-256
 * over `pinpoint-span-event^<transactionId>^<spanId>^<asyncId>^<asyncSequence>^<sequence>` (async
 * parts empty for a span's own events), as hex. Stable across replays and across chunks.
 */
export function spanEventSpanId(
  txText: string,
  spanId: bigint,
  sequence: number,
  async: SpanRecord['localAsyncId'],
): string {
  const parts = [
    'pinpoint-span-event',
    txText,
    spanId.toString(),
    async?.asyncId ?? '',
    async?.sequence ?? '',
    sequence,
  ];
  const hex = createHash('sha256').update(parts.join('^'), 'utf8').digest('hex').slice(0, 16);
  return /^0+$/.test(hex) ? '0000000000000001' : hex;
}

export interface Converted {
  events: SpanEvent[];
  rejections: Rejection[];
}

/**
 * A span record as SpanEvents: the span itself (not for chunks), then one child span per event, whose
 * parent is the nearest preceding event (in sequence order) of smaller depth, else the span.
 * `baseMs` is the time events are offset from (the span start, or the chunk keyTime).
 */
export function toSpanEvents(
  record: SpanRecord,
  baseMs: bigint,
  location: string,
  asyncParents: AsyncParents,
): Converted {
  const txText = formatTransactionId(record.transactionId);
  const traceId = traceIdFromTransactionId(record.transactionId);
  const spanHex = spanIdToHex(record.spanId);
  const host = record.agentId ?? hostOf(record.endPoint);
  const identity: JsonObject = {
    'pinpoint.transactionId': txText,
    'pinpoint.spanId': record.spanId.toString(),
    ...(record.agentId === null ? {} : { 'pinpoint.agentId': record.agentId }),
    ...(record.applicationName === null ? {} : { 'pinpoint.applicationName': record.applicationName }),
  };
  const envelope = {
    kind: 'span' as const,
    source: SOURCE,
    service: record.applicationName,
    host,
    container: null,
  };
  const out: Converted = { events: [], rejections: [] };
  const reject = (reason: string, detail: string, at: string, raw: unknown): void => {
    out.rejections.push({
      source: SOURCE,
      reason,
      detail: `${at}: ${detail}`,
      location: at,
      raw: rawText(raw),
    });
  };

  if (record.kind === 'span' && record.elapsedMs !== null) {
    const time = instantAt(baseMs, 0);
    const end = instantAt(baseMs, record.elapsedMs);
    if (time === null || end === null)
      reject('invalid_time', `startTime ${baseMs} is not a representable instant`, location, txText);
    else {
      out.events.push({
        ...envelope,
        id: eventId(SOURCE, traceId, spanHex),
        time,
        timestamp: baseMs.toString(),
        sourceKey: null,
        sequence: null,
        trace: {
          traceId,
          spanId: spanHex,
          parentSpanId: record.parentSpanId === null ? null : spanIdToHex(record.parentSpanId),
        },
        message: record.api ?? `pinpoint span ${record.spanId}`,
        attributes: {
          ...identity,
          'pinpoint.parentSpanId': (record.parentSpanId ?? -1n).toString(),
          ...record.attributes,
        },
        name: record.api ?? `pinpoint span ${record.spanId}`,
        spanKind: record.attributes['pinpoint.rpc'] !== undefined ? 'server' : 'internal',
        endTime: end,
        durationMs: record.elapsedMs,
        status: record.error ? 'error' : 'unset',
      });
    }
  }

  const async = record.localAsyncId;
  const rootParent =
    async === null ? spanHex : (asyncParents.get(asyncKey(txText, record.spanId, async.asyncId)) ?? spanHex);
  const sourceKey = `pinpoint:${txText}^${record.spanId}${async === null ? '' : `^${async.asyncId}^${async.sequence}`}`;
  const asyncAttributes =
    async === null ? {} : { 'pinpoint.asyncId': async.asyncId, 'pinpoint.asyncSequence': async.sequence };
  const stack: { depth: number; spanId: string }[] = [];
  const seen = new Set<number>();
  const valid: EventRecord[] = [];
  for (const entry of record.events) {
    const at = `${location}.spanEvent[${entry.ok ? entry.value.index : entry.index}]`;
    if (!entry.ok) reject(entry.reason, entry.detail, at, entry.raw);
    else if (seen.has(entry.value.sequence))
      reject(
        'duplicate_sequence',
        `sequence ${entry.value.sequence} appears twice in the span`,
        at,
        entry.value.attributes,
      );
    else {
      seen.add(entry.value.sequence);
      valid.push(entry.value);
    }
  }
  for (const event of valid.sort((a, b) => a.sequence - b.sequence)) {
    const at = `${location}.spanEvent[${event.index}]`;
    while (stack.length > 0 && (stack[stack.length - 1] as { depth: number }).depth >= event.depth)
      stack.pop();
    const parent = stack[stack.length - 1]?.spanId ?? rootParent;
    const childId = spanEventSpanId(txText, record.spanId, event.sequence, async);
    const time = instantAt(baseMs, event.startOffsetMs);
    const end = instantAt(baseMs, event.startOffsetMs + event.durationMs);
    if (time === null || end === null) {
      reject(
        'invalid_time',
        `event time ${baseMs} + ${event.startOffsetMs} ms is not a representable instant`,
        at,
        event.attributes,
      );
      continue;
    }
    stack.push({ depth: event.depth, spanId: childId });
    const name = event.api ?? event.destinationId ?? nameOf(event.attributes);
    out.events.push({
      ...envelope,
      id: eventId(SOURCE, traceId, childId),
      time,
      timestamp: (baseMs + BigInt(event.startOffsetMs)).toString(),
      sourceKey,
      sequence: String(event.sequence),
      trace: { traceId, spanId: childId, parentSpanId: parent },
      message: name,
      attributes: { ...identity, ...asyncAttributes, ...event.attributes },
      name,
      spanKind: event.nextSpanId !== null || event.destinationId !== null ? 'client' : 'internal',
      endTime: end,
      durationMs: event.durationMs,
      status: event.error ? 'error' : 'unset',
    });
  }
  return out;
}

function nameOf(attributes: JsonObject): string {
  const apiId = attributes['pinpoint.apiId'];
  const serviceType = attributes['pinpoint.serviceType'];
  if (apiId !== undefined) return `pinpoint apiId ${String(apiId)}`;
  return serviceType !== undefined ? `pinpoint serviceType ${String(serviceType)}` : 'pinpoint span event';
}

function instantAt(baseMs: bigint, offsetMs: number): string | null {
  return instantFromUnixNanos((baseMs + BigInt(offsetMs)) * 1_000_000n);
}

/** `host` of `host:port`, `[v6]:port` or a bare host; null for nothing. */
export function hostOf(endPoint: string | null): string | null {
  if (endPoint === null) return null;
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(endPoint);
  if (v6) return v6[1] ?? null;
  const m = /^([^:]+):\d+$/.exec(endPoint);
  return m ? (m[1] ?? null) : endPoint;
}
