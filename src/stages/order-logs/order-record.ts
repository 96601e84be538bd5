import type { SpanEvent, TributaryEvent } from '../../core/event.ts';
import { parseHlcStamp } from './hlc-stamp.ts';
import type { OrderKey } from './order-key.ts';

/**
 * What the ordering stage keeps of an event: the few fields causality is read from, validated. The
 * event itself is not held (it is already stored), so the buffer stays small.
 */
export interface OrderRecord {
  id: string;
  kind: 'log' | 'span';
  host: string | null;
  /** The stream whose progress the watermark follows: the emitter (`sourceKey`) or source + host. */
  stream: string;
  /** Program order: `sequence` within `sourceKey`, when both are present and well formed. */
  sourceKey: string | null;
  sequence: bigint | null;
  traceId: string | null;
  /** Log: the span it was written in. Span: its own id. */
  spanId: string | null;
  parentSpanId: string | null;
  spanKind: SpanEvent['spanKind'] | null;
  /** Span name (what a client span calls: whether it usually has a traced server child). */
  name: string | null;
  /** The event's own time (raw clock of its host), Unix ns. */
  startNs: bigint;
  /** Span end (raw clock), Unix ns; null for logs. */
  endNs: bigint | null;
  hlc: OrderKey | null;
  /** Estimated memory held for it while buffered. */
  bytes: number;
}

export type RecordProblem = 'invalid_id' | 'invalid_time';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;
const SEQUENCE = /^\d{1,20}$/;
const MAX_ID_CHARS = 256;

/** The record of a log or span; null for other kinds (they keep their time as key); a problem for garbage. */
export function toOrderRecord(event: TributaryEvent): OrderRecord | null | RecordProblem {
  if (event.kind !== 'log' && event.kind !== 'span') return null;
  if (typeof event.id !== 'string' || event.id === '' || event.id.length > MAX_ID_CHARS) return 'invalid_id';
  if (typeof event.time !== 'string' || !INSTANT.test(event.time)) return 'invalid_time';
  const startNs = instantNanos(event.time);
  if (startNs === null) return 'invalid_time';
  const trace = event.trace;
  const traceId = idText(trace?.traceId);
  const span = event.kind === 'span' ? event : null;
  let endNs: bigint | null = null;
  if (span) {
    const end =
      typeof span.endTime === 'string' && INSTANT.test(span.endTime) ? instantNanos(span.endTime) : null;
    // A span ending before it starts (or without a usable end) is a broken record: take it as instantaneous.
    endNs = end === null || end < startNs ? startNs : end;
  }
  const sourceKey = idText(event.sourceKey);
  const sequence =
    sourceKey !== null && typeof event.sequence === 'string' && SEQUENCE.test(event.sequence)
      ? BigInt(event.sequence)
      : null;
  const host = idText(event.host);
  const record: OrderRecord = {
    id: event.id,
    kind: event.kind,
    host,
    stream: span ? `${event.source}:spans:${host ?? '-'}` : (sourceKey ?? `${event.source}:${host ?? '-'}`),
    sourceKey: sequence === null ? null : sourceKey,
    sequence,
    traceId,
    spanId: traceId === null ? null : idText(trace?.spanId),
    parentSpanId: traceId === null || !span ? null : idText(trace?.parentSpanId),
    spanKind: span ? spanKindOf(span.spanKind) : null,
    name: span && typeof span.name === 'string' ? span.name.slice(0, 200) : null,
    startNs,
    endNs,
    hlc: parseHlcStamp((event.attributes as Record<string, unknown> | undefined)?.hlc),
    bytes: 0,
  };
  record.bytes =
    240 +
    2 *
      (record.id.length +
        record.stream.length +
        (record.traceId?.length ?? 0) +
        (record.spanId?.length ?? 0) +
        (record.sourceKey?.length ?? 0));
  return record;
}

/** The last whole second parsed: events come in bursts within one second. */
let lastSecondText = '';
let lastSecondNs = 0n;

/** Unix ns of a normalized instant (as core/time's unixNanos, with the second cached). */
function instantNanos(instant: string): bigint | null {
  const second = instant.slice(0, 19);
  if (second !== lastSecondText) {
    const ms = Date.parse(`${second}Z`);
    // The pattern lets through a 13th month or a 32nd day.
    if (Number.isNaN(ms)) return null;
    lastSecondNs = BigInt(ms / 1000) * 1_000_000_000n;
    lastSecondText = second;
  }
  return lastSecondNs + BigInt(instant.slice(20, 29));
}

function idText(value: unknown): string | null {
  return typeof value === 'string' && value !== '' && value.length <= MAX_ID_CHARS ? value : null;
}

const SPAN_KINDS = new Set(['internal', 'server', 'client', 'producer', 'consumer', 'unspecified']);

function spanKindOf(value: unknown): SpanEvent['spanKind'] {
  return typeof value === 'string' && SPAN_KINDS.has(value)
    ? (value as SpanEvent['spanKind'])
    : 'unspecified';
}
