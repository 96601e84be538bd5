import { createHash } from 'node:crypto';
import { fail, ok, type Read } from './result.ts';

/**
 * A Pinpoint transaction id, `agentId^agentStartTime^transactionSequence`. The numbers are Java longs,
 * kept as canonical decimal strings (no sign for positives, no leading zeros) so they never pass
 * through a JS number.
 */
export interface TransactionId {
  agentId: string;
  /** Epoch milliseconds of the agent start, decimal. */
  agentStartTime: string;
  /** Per-agent sequence, decimal; negative (-1001 and below) for local ids of unsampled traces. */
  sequence: string;
}

/** PinpointConstants.AGENT_ID_MAX_LEN; application names have the same limit and charset. */
export const MAX_AGENT_ID_LENGTH = 24;
const AGENT_ID = /^[a-zA-Z0-9._-]+$/;

export const INT64_MIN = -(1n << 63n);
export const INT64_MAX = (1n << 63n) - 1n;
/** SpanId.NULL: "no span" (the parent of a root span, an absent next span). */
export const NULL_SPAN_ID = -1n;

/** Checks an agent id or application name against Pinpoint's rule: `[a-zA-Z0-9._-]+`, at most 24 chars. */
export function checkAgentId(text: string, field = 'agentId'): Read<string> {
  if (text.length === 0) return fail('invalid_agent_id', `${field} is empty`);
  if (text.length > MAX_AGENT_ID_LENGTH) {
    return fail(
      'invalid_agent_id',
      `${field} "${text.slice(0, 40)}" is longer than ${MAX_AGENT_ID_LENGTH} characters`,
    );
  }
  if (!AGENT_ID.test(text))
    return fail('invalid_agent_id', `${field} "${text.slice(0, 40)}" has characters outside [a-zA-Z0-9._-]`);
  return ok(text);
}

/**
 * Parses the text form as TransactionIdUtils does: three `^`-separated parts, a trailing `^` allowed,
 * both numbers Java longs (optional sign, decimal). The agent id is validated as Pinpoint does.
 */
export function parseTransactionId(text: string): Read<TransactionId> {
  const shown = text.slice(0, 80);
  if (text.length > 128) return fail('invalid_transaction_id', `transaction id "${shown}…" is too long`);
  const parts = text.split('^');
  if (parts.length === 4 && parts[3] === '') parts.pop();
  if (parts.length !== 3)
    return fail(
      'invalid_transaction_id',
      `transaction id "${shown}" must be agentId^agentStartTime^sequence`,
    );
  const [agentId = '', startTime = '', sequence = ''] = parts;
  const agent = checkAgentId(agentId);
  if (!agent.ok) return fail('invalid_transaction_id', `transaction id "${shown}": ${agent.detail}`);
  const start = parseJavaLong(startTime, 'agentStartTime');
  if (!start.ok) return fail('invalid_transaction_id', `transaction id "${shown}": ${start.detail}`);
  const seq = parseJavaLong(sequence, 'sequence');
  if (!seq.ok) return fail('invalid_transaction_id', `transaction id "${shown}": ${seq.detail}`);
  return ok({ agentId, agentStartTime: start.value.toString(), sequence: seq.value.toString() });
}

/** The canonical text form, `agentId^agentStartTime^sequence`. */
export function formatTransactionId(id: TransactionId): string {
  return `${id.agentId}^${id.agentStartTime}^${id.sequence}`;
}

/**
 * A signed 64-bit decimal (Java `Long.parseLong`): optional sign, at most 19 significant digits,
 * within [-2^63, 2^63-1]. Never goes through a JS number.
 */
export function parseJavaLong(text: string, field: string): Read<bigint> {
  if (!/^[+-]?\d{1,25}$/.test(text))
    return fail('invalid_long', `${field} "${text.slice(0, 40)}" is not a decimal integer`);
  const value = BigInt(text);
  if (value < INT64_MIN || value > INT64_MAX)
    return fail('out_of_range', `${field} ${text} is outside the signed 64-bit range`);
  return ok(value);
}

/**
 * A 64-bit id or time from JSON: a decimal string (proto3 JSON writes int64 / sfixed64 so), or a JSON
 * number only if it is a safe integer (a larger number has already lost digits and is refused).
 */
export function readLong(value: unknown, field: string): Read<bigint> {
  if (typeof value === 'string') return parseJavaLong(value, field);
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return ok(BigInt(value));
    return fail(
      'unsafe_integer',
      `${field} ${value} is a JSON number beyond 2^53 and has lost precision; send it as a string`,
    );
  }
  return fail(
    'invalid_long',
    `${field} must be a decimal string or an integer, got ${value === null ? 'null' : typeof value}`,
  );
}

/** A span id as the 8-byte big-endian two's-complement hex used for OpenTelemetry-shaped span ids. */
export function spanIdToHex(id: bigint): string {
  return BigInt.asUintN(64, id).toString(16).padStart(16, '0');
}

/** The inverse of spanIdToHex: 16 hex digits back to the signed Pinpoint span id. */
export function hexToSpanId(hex: string): bigint {
  return BigInt.asIntN(64, BigInt(`0x${hex}`));
}

/**
 * A span's own id (or a next span id) must be usable as an OTel span id: not 0 (all-zero hex is
 * invalid in OTel) and not -1 (SpanId.NULL, which Pinpoint never assigns to a span).
 */
export function checkSpanId(id: bigint, field: string): Read<bigint> {
  if (id === 0n) return fail('invalid_span_id', `${field} is 0, which maps to the invalid all-zero span id`);
  if (id === NULL_SPAN_ID) return fail('invalid_span_id', `${field} is -1 (SpanId.NULL), not a span`);
  return ok(id);
}

/**
 * The 16-byte trace id of a transaction: the first 16 bytes of SHA-256 over the UTF-8 of the canonical
 * text form `agentId^agentStartTime^sequence` (as formatTransactionId writes it, so `a^012^3` and
 * `a^12^3` agree), as lowercase hex. Every span, header and log line of the transaction maps to the same
 * trace id, whichever component sees it. An all-zero result (probability 2^-128) gets its last bit set.
 */
export function traceIdFromTransactionId(id: TransactionId): string {
  const hex = createHash('sha256').update(formatTransactionId(id), 'utf8').digest('hex').slice(0, 32);
  return /^0+$/.test(hex) ? `${hex.slice(0, 31)}1` : hex;
}
