import {
  formatTransactionId,
  parseTransactionId,
  traceIdFromTransactionId,
} from '../../sources/pinpoint/transaction-id.ts';

/** The trace a caller asked for: an OTel trace id, or a Pinpoint transaction id mapped to one. */
export type TraceRef =
  | { ok: true; traceId: string; form: 'otel' | 'pinpoint'; transactionId: string | null }
  | { ok: false; message: string };

const EXPECTED = 'expected 32 hex digits (OTel trace id) or agentId^agentStartTime^sequence (Pinpoint)';
const MAX_CHARS = 160;

/**
 * Reads a trace reference. Refused, each with a message saying why: empty or too long text, hex of the
 * wrong length (16 digits is called out as a span id), all-zero ids, bare decimals (a Pinpoint span id
 * is not a trace), and transaction ids that are malformed or whose start time or sequence is not
 * positive (negative sequences are local ids of unsampled transactions: no span carries them).
 */
export function parseTraceRef(text: string): TraceRef {
  const shown = JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
  if (text.length === 0) return fail(`trace id is empty: ${EXPECTED}`);
  if (text.length > MAX_CHARS) return fail(`trace id ${shown} is longer than ${MAX_CHARS} characters`);
  if (text.includes('^')) return pinpointRef(text, shown);
  if (/^[+-]?\d+$/.test(text) && !/^[0-9]{32}$/.test(text) && !/^[0-9]{16}$/.test(text)) {
    return fail(`trace id ${shown} is a decimal number (a Pinpoint span id?), not a trace: ${EXPECTED}`);
  }
  if (/^[0-9a-fA-F]+$/.test(text)) {
    if (text.length === 16)
      return fail(`trace id ${shown} has 16 hex digits, which is a span id; a trace id has 32`);
    if (text.length !== 32)
      return fail(`trace id ${shown} has ${text.length} hex digits; an OTel trace id has exactly 32`);
    if (/^0+$/.test(text)) return fail('trace id is all zeros, which W3C and OTLP define as invalid');
    return { ok: true, traceId: text.toLowerCase(), form: 'otel', transactionId: null };
  }
  return fail(`trace id ${shown} is not valid: ${EXPECTED}`);
}

function pinpointRef(text: string, shown: string): TraceRef {
  const parsed = parseTransactionId(text);
  if (!parsed.ok) return fail(`${parsed.detail} (${EXPECTED})`);
  const { agentStartTime, sequence } = parsed.value;
  if (BigInt(agentStartTime) <= 0n)
    return fail(`transaction id ${shown}: agentStartTime ${agentStartTime} is not a positive epoch ms time`);
  if (BigInt(sequence) < 0n) {
    return fail(
      `transaction id ${shown}: sequence ${sequence} is negative; negative sequences are local ids of unsampled transactions, which Pinpoint never records`,
    );
  }
  return {
    ok: true,
    traceId: traceIdFromTransactionId(parsed.value),
    form: 'pinpoint',
    transactionId: formatTransactionId(parsed.value),
  };
}

function fail(message: string): TraceRef {
  return { ok: false, message };
}
