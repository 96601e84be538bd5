/** An OTLP/JSON AnyValue. */
export type AnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: AnyValue[] } }
  | { kvlistValue: { values: KeyValue[] } }
  | Record<string, never>;

export interface KeyValue {
  key: string;
  value: AnyValue;
}

const MAX_DEPTH = 16;

/** A plain JSON value as an AnyValue (integers as int64 decimal text, null as the empty AnyValue). */
export function toAnyValue(value: unknown, depth = 0): AnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'bigint') return { intValue: value.toString() };
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return { intValue: String(value) };
    return Number.isFinite(value) ? { doubleValue: value } : { stringValue: String(value) };
  }
  if (value === null || value === undefined || depth >= MAX_DEPTH) return {};
  if (Array.isArray(value)) return { arrayValue: { values: value.map((v) => toAnyValue(v, depth + 1)) } };
  if (typeof value === 'object')
    return { kvlistValue: { values: toKeyValues(value as Record<string, unknown>, depth + 1) } };
  return { stringValue: String(value) };
}

export function toKeyValues(attributes: Record<string, unknown>, depth = 0): KeyValue[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: toAnyValue(value, depth) }));
}
