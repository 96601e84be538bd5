import type { TraceContext } from '../../core/event.ts';
import {
  checkSpanId,
  formatTransactionId,
  NULL_SPAN_ID,
  parseJavaLong,
  parseTransactionId,
  spanIdToHex,
  traceIdFromTransactionId,
  type TransactionId,
} from './transaction-id.ts';

/** Header names as Pinpoint's Header enum spells them (matched case-insensitively). */
export const PINPOINT_HEADERS = {
  traceId: 'Pinpoint-TraceID',
  spanId: 'Pinpoint-SpanID',
  parentSpanId: 'Pinpoint-pSpanID',
  flags: 'Pinpoint-Flags',
  parentApplicationName: 'Pinpoint-pAppName',
  parentApplicationType: 'Pinpoint-pAppType',
  host: 'Pinpoint-Host',
  sampled: 'Pinpoint-Sampled',
  parentServiceName: 'Pinpoint-pServiceName',
  parentApplicationNamespace: 'Pinpoint-pAppNamespace',
} as const;

/** What a sampled request carries: the callee's span id and its caller. */
export interface PinpointPropagation {
  transactionId: TransactionId;
  /** Canonical `agentId^agentStartTime^sequence`. */
  transactionIdText: string;
  /** Span id the callee must use (Pinpoint-SpanID), signed decimal. */
  spanId: string;
  /** Caller's span id (Pinpoint-pSpanID), signed decimal; null when absent or -1. */
  parentSpanId: string | null;
  flags: number;
  parentApplicationName: string | null;
  parentApplicationType: number | null;
  host: string | null;
  parentServiceName: string | null;
  parentApplicationNamespace: string | null;
  /** OTel-shaped context: mapped trace id, the callee span id and the caller span id as hex. */
  trace: TraceContext;
}

export type PinpointHeaderResult =
  | { kind: 'absent' }
  /** `Pinpoint-Sampled: s0`: the caller decided not to sample; no ids travel. */
  | { kind: 'unsampled' }
  | { kind: 'sampled'; context: PinpointPropagation }
  | { kind: 'invalid'; reason: string; detail: string };

export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Reads Pinpoint propagation headers (HTTP, or message headers of Kafka/RabbitMQ/ActiveMQ) as the
 * agent's request trace reader does: the ids must parse, flags and the caller type default to 0 / null
 * when unreadable, an absent pSpanID means no parent. Names are matched case-insensitively.
 */
export function parsePinpointHeaders(headers: HeaderBag): PinpointHeaderResult {
  const get = headerReader(headers);
  const sampled = get(PINPOINT_HEADERS.sampled);
  if (sampled?.trim() === 's0') return { kind: 'unsampled' };
  const txText = get(PINPOINT_HEADERS.traceId);
  if (txText === null) return { kind: 'absent' };
  const tx = parseTransactionId(txText.trim());
  if (!tx.ok)
    return { kind: 'invalid', reason: tx.reason, detail: `${PINPOINT_HEADERS.traceId}: ${tx.detail}` };
  const spanText = get(PINPOINT_HEADERS.spanId);
  if (spanText === null)
    return { kind: 'invalid', reason: 'invalid_span_id', detail: `${PINPOINT_HEADERS.spanId} is missing` };
  const spanId = parseJavaLong(spanText.trim(), PINPOINT_HEADERS.spanId);
  const usable = spanId.ok ? checkSpanId(spanId.value, PINPOINT_HEADERS.spanId) : spanId;
  if (!usable.ok) return { kind: 'invalid', reason: 'invalid_span_id', detail: usable.detail };
  const parentText = get(PINPOINT_HEADERS.parentSpanId);
  const parent = parentText === null ? null : parseJavaLong(parentText.trim(), PINPOINT_HEADERS.parentSpanId);
  if (parent !== null && !parent.ok)
    return { kind: 'invalid', reason: 'invalid_parent_span_id', detail: parent.detail };
  const parentSpanId =
    parent === null || parent.value === NULL_SPAN_ID || parent.value === 0n ? null : parent.value;

  const context: PinpointPropagation = {
    transactionId: tx.value,
    transactionIdText: formatTransactionId(tx.value),
    spanId: usable.value.toString(),
    parentSpanId: parentSpanId?.toString() ?? null,
    flags: shortOr(get(PINPOINT_HEADERS.flags), 0) ?? 0,
    parentApplicationName: get(PINPOINT_HEADERS.parentApplicationName),
    parentApplicationType: shortOr(get(PINPOINT_HEADERS.parentApplicationType), null),
    host: get(PINPOINT_HEADERS.host),
    parentServiceName: get(PINPOINT_HEADERS.parentServiceName),
    parentApplicationNamespace: get(PINPOINT_HEADERS.parentApplicationNamespace),
    trace: {
      traceId: traceIdFromTransactionId(tx.value),
      spanId: spanIdToHex(usable.value),
      parentSpanId: parentSpanId === null ? null : spanIdToHex(parentSpanId),
    },
  };
  return { kind: 'sampled', context };
}

/** Case-insensitive lookup; the first value of a repeated header; null when absent or empty. */
function headerReader(headers: HeaderBag): (name: string) => string | null {
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const first = typeof value === 'string' ? value : value?.[0];
    if (first !== undefined && !lower.has(name.toLowerCase())) lower.set(name.toLowerCase(), first);
  }
  return (name) => {
    const value = lower.get(name.toLowerCase())?.trim();
    return value === undefined || value === '' ? null : value;
  };
}

/** A Java short, or the fallback when absent or unreadable (NumberUtils.parseShort semantics). */
function shortOr<T extends number | null>(text: string | null, fallback: T): number | T {
  if (text === null || !/^[+-]?\d{1,5}$/.test(text.trim())) return fallback;
  const n = Number(text.trim());
  return n >= -32768 && n <= 32767 ? n : fallback;
}
