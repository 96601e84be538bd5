import type { LogEvent } from '../../core/event.ts';
import { parseTraceparent } from '../../sources/otlp/traceparent.ts';
import { extractLogTrace } from '../../sources/pinpoint/parse-log-mdc.ts';
import {
  parseTransactionId,
  spanIdToHex,
  traceIdFromTransactionId,
} from '../../sources/pinpoint/transaction-id.ts';

/** The trace ids a log line carries, by key family, as OTel-shaped hex. */
export interface LogIds {
  /** `trace_id` / `span_id` (fields, ECS `trace.id`, `key=value` text) or the record's own trace context. */
  otel: { traceId: string; spanId: string | null } | null;
  /** `PtxId` / `PspanId` (MDC fields or the message layouts), mapped; `transactionId` canonical. */
  pinpoint: { traceId: string; spanId: string | null; transactionId: string } | null;
  /** An incoming W3C `traceparent` logged by the callee (e.g. an access log): the caller's span. */
  traceparent: { traceId: string; spanId: string } | null;
}

const CONTAINERS = ['mdc', 'MDC', 'contextMap', 'context_map', 'context', 'labels', 'fields', 'extra'];
const TRACEPARENT_KEYS = ['traceparent', 'trace_parent', 'http.request.header.traceparent'];
const TRACEPARENT_TEXT = /\btraceparent[=:]\s*"?([0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2})\b/;
const MAX_SCAN_CHARS = 64 * 1024;

/** Reads both id families (and a logged traceparent) from a stored log event; never throws. */
export function readLogIds(log: LogEvent): LogIds {
  const found = extractLogTrace({ message: log.message, fields: log.attributes });
  const pinpoint = found?.pinpoint ? mapPinpoint(found.pinpoint) : null;
  let otel = found?.otel ?? null;
  if (otel === null && log.trace && log.trace.traceId !== pinpoint?.traceId)
    otel = { traceId: log.trace.traceId, spanId: log.trace.spanId };
  return { otel, pinpoint, traceparent: readTraceparent(log) };
}

/** The documented mapping (transaction-id.ts): SHA-256 of the canonical id, span id as 8-byte hex. */
function mapPinpoint(ids: { transactionId: string; spanId: string | null }): LogIds['pinpoint'] {
  const tx = parseTransactionId(ids.transactionId);
  if (!tx.ok) return null;
  return {
    traceId: traceIdFromTransactionId(tx.value),
    spanId: ids.spanId === null ? null : spanIdToHex(BigInt(ids.spanId)),
    transactionId: ids.transactionId,
  };
}

function readTraceparent(log: LogEvent): LogIds['traceparent'] {
  const attributes = log.attributes;
  const scopes = [attributes, ...CONTAINERS.map((c) => attributes[c]).filter(isRecord)];
  let text: string | null = null;
  for (const scope of scopes) {
    for (const key of TRACEPARENT_KEYS) {
      const value = scope[key];
      const first = Array.isArray(value) ? (value[0] as unknown) : value;
      if (typeof first === 'string' && first.trim() !== '') text = first.trim();
    }
    if (text !== null) break;
  }
  text ??= TRACEPARENT_TEXT.exec(log.message.slice(0, MAX_SCAN_CHARS))?.[1] ?? null;
  if (text === null) return null;
  const parsed = parseTraceparent(text);
  return parsed.ok ? { traceId: parsed.value.traceId, spanId: parsed.value.parentId } : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
