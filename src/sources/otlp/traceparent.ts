import type { TraceContext } from '../../core/event.ts';

/** A parsed W3C `traceparent` header (Trace Context level 1). */
export interface Traceparent {
  version: string;
  traceId: string;
  /** The caller's span id (`parent-id`). */
  parentId: string;
  /** trace-flags as a number; bit 0 is `sampled`. */
  flags: number;
  sampled: boolean;
}

export type TraceparentResult =
  | { ok: true; value: Traceparent; /** traceId and the caller's span as `spanId`. */ trace: TraceContext }
  | { ok: false; reason: string };

const HEX_LOWER = /^[0-9a-f]+$/;

/**
 * Parses `traceparent` per the W3C rules: lowercase hex only; version `ff` forbidden; version 00 has
 * exactly four fields; a higher version is parsed by its first four fields and anything after a `-`
 * is ignored; trace-id and parent-id must not be all zeros.
 */
export function parseTraceparent(header: string): TraceparentResult {
  const value = header.trim();
  if (value.length > 512) return { ok: false, reason: 'header longer than 512 characters' };
  const parts = value.split('-');
  const [version = '', traceId = '', parentId = '', flags = ''] = parts;
  if (version.length !== 2 || !HEX_LOWER.test(version))
    return { ok: false, reason: 'version must be 2 lowercase hex digits' };
  if (version === 'ff') return { ok: false, reason: 'version ff is forbidden' };
  if (parts.length < 4) return { ok: false, reason: 'expected version-traceid-parentid-flags' };
  if (version === '00' && parts.length !== 4)
    return { ok: false, reason: 'version 00 must have exactly 4 fields' };
  if (traceId.length !== 32 || !HEX_LOWER.test(traceId))
    return { ok: false, reason: 'trace-id must be 32 lowercase hex digits' };
  if (/^0+$/.test(traceId)) return { ok: false, reason: 'trace-id is all zeros' };
  if (parentId.length !== 16 || !HEX_LOWER.test(parentId))
    return { ok: false, reason: 'parent-id must be 16 lowercase hex digits' };
  if (/^0+$/.test(parentId)) return { ok: false, reason: 'parent-id is all zeros' };
  if (flags.length !== 2 || !HEX_LOWER.test(flags))
    return { ok: false, reason: 'trace-flags must be 2 lowercase hex digits' };
  const flagBits = Number.parseInt(flags, 16);
  return {
    ok: true,
    value: { version, traceId, parentId, flags: flagBits, sampled: (flagBits & 1) === 1 },
    trace: { traceId, spanId: parentId },
  };
}

export type TracestateResult =
  { ok: true; entries: [key: string, value: string][] } | { ok: false; reason: string };

const SIMPLE_KEY = /^[a-z][a-z0-9_\-*/]{0,255}$/;
const TENANT_KEY = /^[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13}$/;
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

/** Parses `tracestate`: up to 32 `key=value` members, keys unique, empty members ignored. */
export function parseTracestate(header: string): TracestateResult {
  const entries: [string, string][] = [];
  const seen = new Set<string>();
  for (const member of header.split(',')) {
    const text = member.trim();
    if (text === '') continue;
    const eq = text.indexOf('=');
    if (eq <= 0) return { ok: false, reason: `member "${text.slice(0, 64)}" is not key=value` };
    const key = text.slice(0, eq);
    const value = text.slice(eq + 1);
    if (!SIMPLE_KEY.test(key) && !TENANT_KEY.test(key))
      return { ok: false, reason: `invalid key "${key.slice(0, 64)}"` };
    if (!VALUE.test(value)) return { ok: false, reason: `invalid value for key "${key}"` };
    if (seen.has(key)) return { ok: false, reason: `duplicate key "${key}"` };
    seen.add(key);
    entries.push([key, value]);
    if (entries.length > 32) return { ok: false, reason: 'more than 32 members' };
  }
  return { ok: true, entries };
}
