import { readAnnotations } from './annotations.ts';
import { compact, isObject, num, readException, text, typeName, type JsonObject } from './json.ts';
import { fail, ok, type Read } from './result.ts';
import { readSpanEvents, type EventEntry, type EventTiming } from './span-event-record.ts';
import {
  checkAgentId,
  checkSpanId,
  NULL_SPAN_ID,
  parseTransactionId,
  readLong,
  type TransactionId,
} from './transaction-id.ts';

/** Agent identity that travels beside the span (gRPC metadata `agentid`, `applicationname`...). */
export interface PinpointAgentInfo {
  agentId?: string | null;
  applicationName?: string | null;
}

/** One span or span chunk, whatever shape it came in, with its events on absolute offsets. */
export interface SpanRecord {
  kind: 'span' | 'chunk';
  transactionId: TransactionId;
  spanId: bigint;
  /** The caller's span, null for a root (-1) and for chunks. */
  parentSpanId: bigint | null;
  /** Span start (chunk: keyTime) in epoch ms; null for a chunk without keyTime. */
  startMs: bigint | null;
  /** Span elapsed ms; null for chunks. */
  elapsedMs: number | null;
  agentId: string | null;
  applicationName: string | null;
  /** Chunk's local async id, which ties it to the event whose nextAsyncId equals asyncId. */
  localAsyncId: { asyncId: number; sequence: number } | null;
  api: string | null;
  error: boolean;
  attributes: JsonObject;
  endPoint: string | null;
  /** Events in input order; unusable ones carry their reason. */
  events: EventEntry[];
}

/** PSpan in proto3 JSON (wire semantics for its events, see span-event-record.ts). */
export function readPSpan(span: JsonObject, agent: PinpointAgentInfo): Read<SpanRecord> {
  const common = readCommon(span, agent, 'spanId');
  if (!common.ok) return common;
  const parent = readParent(span.parentSpanId);
  if (!parent.ok) return parent;
  const timing = readSpanTiming(span);
  if (!timing.ok) return timing;
  const accept = isObject(span.acceptEvent) ? span.acceptEvent : {};
  const parentInfo = isObject(accept.parentInfo) ? accept.parentInfo : {};
  return finish(common.value, span, 'wire', {
    kind: 'span',
    parentSpanId: parent.value,
    startMs: timing.value.startMs,
    elapsedMs: timing.value.elapsedMs,
    localAsyncId: null,
    endPoint: text(accept.endPoint),
    extra: {
      'pinpoint.rpc': text(accept.rpc),
      'pinpoint.endPoint': text(accept.endPoint),
      'pinpoint.remoteAddr': text(accept.remoteAddr),
      'pinpoint.parentApplicationName': text(parentInfo.parentApplicationName),
      'pinpoint.parentApplicationType': num(parentInfo.parentApplicationType),
      'pinpoint.acceptorHost': text(parentInfo.acceptorHost),
    },
    rpc: text(accept.rpc),
  });
}

/** PSpanChunk in proto3 JSON: events sent apart from their span, timed from keyTime. */
export function readPSpanChunk(chunk: JsonObject, agent: PinpointAgentInfo): Read<SpanRecord> {
  const common = readCommon(chunk, agent, 'spanId');
  if (!common.ok) return common;
  const keyTime =
    chunk.keyTime === undefined || chunk.keyTime === null ? null : readLong(chunk.keyTime, 'keyTime');
  if (keyTime !== null && !keyTime.ok) return keyTime;
  const local = isObject(chunk.localAsyncId)
    ? { asyncId: num(chunk.localAsyncId.asyncId) ?? 0, sequence: num(chunk.localAsyncId.sequence) ?? 0 }
    : null;
  return finish(common.value, chunk, 'wire', {
    kind: 'chunk',
    parentSpanId: null,
    startMs: keyTime?.value ?? null,
    elapsedMs: null,
    localAsyncId: local,
    endPoint: text(chunk.endPoint),
    extra: { 'pinpoint.endPoint': text(chunk.endPoint), 'pinpoint.localAsyncId': local },
    rpc: null,
  });
}

/**
 * The plain shape: `transactionId` as text (or a PTransactionId object), `spanEvents[]` with
 * startElapsed from the span start and endElapsed as duration (SpanBo/SpanEventBo semantics).
 */
export function readPlainSpan(span: JsonObject, agent: PinpointAgentInfo): Read<SpanRecord> {
  const own: PinpointAgentInfo = {
    agentId: typeof span.agentId === 'string' ? span.agentId : agent.agentId,
    applicationName: typeof span.applicationName === 'string' ? span.applicationName : agent.applicationName,
  };
  const common = readCommon(span, own, 'spanId');
  if (!common.ok) return common;
  const parent = readParent(span.parentSpanId);
  if (!parent.ok) return parent;
  const timing = readSpanTiming(span);
  if (!timing.ok) return timing;
  return finish(common.value, span, 'absolute', {
    kind: 'span',
    parentSpanId: parent.value,
    startMs: timing.value.startMs,
    elapsedMs: timing.value.elapsedMs,
    localAsyncId: null,
    endPoint: text(span.endPoint),
    extra: {
      'pinpoint.rpc': text(span.rpc),
      'pinpoint.endPoint': text(span.endPoint),
      'pinpoint.remoteAddr': text(span.remoteAddr),
      'pinpoint.parentApplicationName': text(span.parentApplicationName),
      'pinpoint.acceptorHost': text(span.acceptorHost),
    },
    rpc: text(span.rpc),
  });
}

interface Common {
  transactionId: TransactionId;
  spanId: bigint;
  agentId: string | null;
  applicationName: string | null;
}

function readCommon(span: JsonObject, agent: PinpointAgentInfo, idField: string): Read<Common> {
  if (span.version !== undefined && span.version !== null && span.version !== 1 && span.version !== 0) {
    return fail(
      'unsupported_version',
      `version ${String(span.version).slice(0, 20)} is not 1 (TRACEFORMAT_V2)`,
    );
  }
  const agentId = agent.agentId ?? null;
  const applicationName = agent.applicationName ?? null;
  if (agentId !== null) {
    const checked = checkAgentId(agentId);
    if (!checked.ok) return checked;
  }
  if (applicationName !== null) {
    const checked = checkAgentId(applicationName, 'applicationName');
    if (!checked.ok) return fail('invalid_application_name', checked.detail);
  }
  const tx = readTransactionId(span.transactionId, agentId);
  if (!tx.ok) return tx;
  const id = readLong(span[idField], idField);
  if (!id.ok) return fail('invalid_span_id', id.detail);
  const spanId = checkSpanId(id.value, idField);
  if (!spanId.ok) return spanId;
  return ok({ transactionId: tx.value, spanId: spanId.value, agentId, applicationName });
}

/** PTransactionId {agentId, agentStartTime, sequence} (empty agentId = the span's own agent) or text. */
function readTransactionId(value: unknown, ownAgentId: string | null): Read<TransactionId> {
  if (typeof value === 'string') return parseTransactionId(value);
  if (!isObject(value))
    return fail('invalid_transaction_id', `transactionId must be text or an object, got ${typeName(value)}`);
  const agentId =
    value.agentId === undefined || value.agentId === null || value.agentId === ''
      ? ownAgentId
      : value.agentId;
  if (typeof agentId !== 'string') {
    return fail(
      'invalid_transaction_id',
      'transactionId.agentId is empty and no agent id was given for the span',
    );
  }
  const start = readLong(value.agentStartTime ?? '0', 'transactionId.agentStartTime');
  if (!start.ok) return fail('invalid_transaction_id', start.detail);
  const sequence = readLong(value.sequence ?? '0', 'transactionId.sequence');
  if (!sequence.ok) return fail('invalid_transaction_id', sequence.detail);
  return parseTransactionId(`${agentId}^${start.value}^${sequence.value}`);
}

function readParent(value: unknown): Read<bigint | null> {
  if (value === undefined || value === null) return ok(null);
  const parent = readLong(value, 'parentSpanId');
  if (!parent.ok) return fail('invalid_parent_span_id', parent.detail);
  if (parent.value === NULL_SPAN_ID) return ok(null);
  if (parent.value === 0n)
    return fail('invalid_parent_span_id', 'parentSpanId is 0, which maps to the invalid all-zero span id');
  return ok(parent.value);
}

function readSpanTiming(span: JsonObject): Read<{ startMs: bigint; elapsedMs: number }> {
  const start = readLong(span.startTime, 'startTime');
  if (!start.ok) return fail('invalid_time', start.detail);
  if (start.value <= 0n)
    return fail('invalid_time', `startTime ${start.value} is not an epoch millisecond time`);
  const elapsed = span.elapsed ?? 0;
  if (typeof elapsed !== 'number' || !Number.isInteger(elapsed) || elapsed < 0 || elapsed > 2 ** 31 - 1) {
    return fail(
      'invalid_time',
      `elapsed must be a non-negative int32 of milliseconds, got ${typeName(elapsed)}`,
    );
  }
  return ok({ startMs: start.value, elapsedMs: elapsed });
}

interface Specific extends Pick<
  SpanRecord,
  'kind' | 'parentSpanId' | 'startMs' | 'elapsedMs' | 'localAsyncId' | 'endPoint'
> {
  extra: JsonObject;
  rpc: string | null;
}

function finish(common: Common, span: JsonObject, timing: EventTiming, specific: Specific): Read<SpanRecord> {
  const annotations = readAnnotations(
    span.annotation ?? span.annotations,
    span.annotation !== undefined ? 'annotation' : 'annotations',
  );
  if (!annotations.ok) return annotations;
  const events = readSpanEvents(
    span.spanEvent ?? span.spanEvents,
    span.spanEvent !== undefined ? 'spanEvent' : 'spanEvents',
    timing,
  );
  if (!events.ok) return events;
  const err = num(span.err) ?? num(span.errCode) ?? 0;
  const exception = readException(span.exceptionInfo);
  const attributes: JsonObject = {
    ...compact({
      ...specific.extra,
      'pinpoint.serviceType': num(span.serviceType),
      'pinpoint.applicationServiceType': num(span.applicationServiceType),
      'pinpoint.apiId': num(span.apiId),
      'pinpoint.flag': num(span.flag) || null,
      'pinpoint.err': err || null,
      'pinpoint.exception': exception,
    }),
    ...annotations.value.attributes,
  };
  const api = specific.rpc ?? annotations.value.api ?? (typeof span.api === 'string' ? span.api : null);
  const { extra: _extra, rpc: _rpc, ...rest } = specific;
  return ok({
    ...common,
    ...rest,
    api,
    error: err !== 0 || exception !== null,
    attributes,
    events: events.value,
  });
}
