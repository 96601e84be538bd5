/** Pinpoint's own readers; the generic JSON helpers are shared (src/core). */
export { isObject, rawText, setOwn, typeName, type JsonObject } from '../../core/json-record.ts';
export { parseJsonKeepingBigIntegers } from '../../core/json-big-integers.ts';
import { isObject, type JsonObject } from '../../core/json-record.ts';

/** PIntStringValue {intValue, stringValue} of an exception, or null. */
export function readException(value: unknown): JsonObject | null {
  if (!isObject(value)) return null;
  const message = isObject(value.stringValue) ? value.stringValue.value : value.stringValue;
  return { id: num(value.intValue), message: typeof message === 'string' ? message : null };
}

export function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Drops null entries, so absent fields do not show up as attributes. */
export function compact(values: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== undefined));
}
