import type { TraceContext } from '../../core/event.ts';
import { isObject, type JsonObject } from './json.ts';
import {
  formatTransactionId,
  parseJavaLong,
  parseTransactionId,
  spanIdToHex,
  traceIdFromTransactionId,
} from './transaction-id.ts';

/** Trace ids found in a log record, raw and as an OTel-shaped context. */
export interface LogTraceIds {
  /** The OTel ids when present and valid, else the Pinpoint ids mapped (traceIdFromTransactionId, spanIdToHex). */
  trace: TraceContext | null;
  /** Pinpoint ids as written (transaction id canonicalized), when found and valid. */
  pinpoint: { transactionId: string; spanId: string | null } | null;
  /** OTel / W3C ids (`trace_id`, `span_id`...), lowercase, when found and valid. */
  otel: { traceId: string; spanId: string | null } | null;
  /** Ids that were found but unusable, each with the reason, e.g. `PtxId "x^y": ...`. */
  problems: string[];
}

export interface LogTraceInput {
  message?: string | null;
  /** The structured record (JSON-layout MDC keys at the top level or under mdc/contextMap/labels...). */
  fields?: JsonObject | null;
}

const CONTAINERS = ['mdc', 'MDC', 'contextMap', 'context_map', 'context', 'labels', 'fields', 'extra'];
const PINPOINT_TX_KEYS = ['PtxId', 'ptxId', 'PTxId'];
const PINPOINT_SPAN_KEYS = ['PspanId', 'pspanId', 'PSpanId'];
const OTEL_TRACE_KEYS = ['trace_id', 'traceId', 'trace.id', 'traceid'];
const OTEL_SPAN_KEYS = ['span_id', 'spanId', 'span.id', 'spanid'];

/** `[txId : agent^14252^17 spanId : 1224]` and the documented `[TxId : %X{PtxId} , SpanId : %X{PspanId}]`. */
const BRACKET = /\[\s*TxId\s*:\s*([^\s,\]]+)\s*,?\s*SpanId\s*:\s*([+-]?\d+)\s*\]/i;
/** The `TxId:%X{PtxId} ` message prefix of the pattern rewrite. */
const PREFIX = /(?:^|\s)TxId:([^\s,\]]+)/;
const OTEL_TEXT_TRACE = /\btrace[_.-]?id[=:]\s*"?([0-9a-fA-F]{32})\b/i;
const OTEL_TEXT_SPAN = /\bspan[_.-]?id[=:]\s*"?([0-9a-fA-F]{16})\b/i;
const MAX_SCAN_CHARS = 64 * 1024;

/**
 * Finds trace correlation ids in a log record: Pinpoint MDC keys `PtxId` / `PspanId` (fields) or their
 * message layouts, and OpenTelemetry `trace_id` / `span_id` (fields, ECS `trace.id`, or `key=value`
 * text). Fields win over text. Returns null when the record carries none at all.
 */
export function extractLogTrace(input: LogTraceInput): LogTraceIds | null {
  const fields = input.fields ?? {};
  const message = (input.message ?? '').slice(0, MAX_SCAN_CHARS);
  const problems: string[] = [];

  let txText = fieldText(fields, PINPOINT_TX_KEYS);
  let spanText = fieldText(fields, PINPOINT_SPAN_KEYS);
  if (txText === null) {
    const bracket = BRACKET.exec(message);
    const prefix = bracket ? null : PREFIX.exec(message);
    txText = bracket?.[1] ?? prefix?.[1] ?? null;
    spanText = spanText ?? bracket?.[2] ?? null;
  }
  const pinpoint = txText === null ? null : readPinpoint(txText, spanText, problems);

  const traceText = fieldText(fields, OTEL_TRACE_KEYS) ?? OTEL_TEXT_TRACE.exec(message)?.[1] ?? null;
  const otelSpanText = fieldText(fields, OTEL_SPAN_KEYS) ?? OTEL_TEXT_SPAN.exec(message)?.[1] ?? null;
  const otel = traceText === null ? null : readOtel(traceText, otelSpanText, problems);

  if (txText === null && traceText === null) return null;
  const trace = otel
    ? { traceId: otel.traceId, spanId: otel.spanId }
    : pinpoint
      ? { traceId: pinpoint.traceId, spanId: pinpoint.spanHex }
      : null;
  return {
    trace,
    pinpoint: pinpoint ? { transactionId: pinpoint.transactionId, spanId: pinpoint.spanId } : null,
    otel,
    problems,
  };
}

function readPinpoint(
  txText: string,
  spanText: string | null,
  problems: string[],
): { transactionId: string; spanId: string | null; traceId: string; spanHex: string | null } | null {
  const tx = parseTransactionId(txText);
  if (!tx.ok) {
    problems.push(`PtxId: ${tx.detail}`);
    return null;
  }
  let spanId: bigint | null = null;
  if (spanText !== null) {
    const parsed = parseJavaLong(spanText, 'PspanId');
    if (parsed.ok && parsed.value !== 0n && parsed.value !== -1n) spanId = parsed.value;
    else problems.push(parsed.ok ? `PspanId ${parsed.value} is not a span` : `PspanId: ${parsed.detail}`);
  }
  return {
    transactionId: formatTransactionId(tx.value),
    spanId: spanId?.toString() ?? null,
    traceId: traceIdFromTransactionId(tx.value),
    spanHex: spanId === null ? null : spanIdToHex(spanId),
  };
}

function readOtel(
  traceText: string,
  spanText: string | null,
  problems: string[],
): { traceId: string; spanId: string | null } | null {
  const traceId = hexId(traceText, 32);
  if (traceId === null) {
    problems.push(`trace_id "${traceText.slice(0, 64)}" is not 32 hex digits (or is all zeros)`);
    return null;
  }
  const spanId = spanText === null ? null : hexId(spanText, 16);
  if (spanText !== null && spanId === null)
    problems.push(`span_id "${spanText.slice(0, 64)}" is not 16 hex digits (or is all zeros)`);
  return { traceId, spanId };
}

function hexId(text: string, length: number): string | null {
  return text.length === length && /^[0-9a-fA-F]+$/.test(text) && !/^0+$/.test(text)
    ? text.toLowerCase()
    : null;
}

/** A non-empty string (or integer) under one of `keys`: top level, dotted ECS objects, or an MDC container. */
function fieldText(fields: JsonObject, keys: readonly string[]): string | null {
  const scopes = [fields, ...CONTAINERS.map((c) => fields[c]).filter(isObject)];
  for (const scope of scopes) {
    for (const key of keys) {
      const value = key.includes('.') ? nested(scope, key.split('.')) : scope[key];
      if (typeof value === 'string' && value.trim() !== '') return value.trim();
      if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    }
  }
  return null;
}

function nested(scope: JsonObject, path: readonly string[]): unknown {
  const direct = scope[path.join('.')];
  if (direct !== undefined) return direct;
  let node: unknown = scope;
  for (const part of path) node = isObject(node) ? node[part] : undefined;
  return node;
}
