import { InvalidStateArgument } from './errors.ts';

// In a `u` regex a surrogate class matches only surrogates that are not part of a pair.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Checks a key (or owner): a non-empty, well-formed string. */
export function checkKey(key: string, what = 'key'): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw new InvalidStateArgument(`${what} must be a non-empty string`);
  }
  checkText(key, what);
}

/** Checks a value, field or member: a well-formed string (the empty string is allowed). */
export function checkText(text: string, what = 'value'): void {
  if (typeof text !== 'string') throw new InvalidStateArgument(`${what} must be a string`);
  if (LONE_SURROGATE.test(text)) {
    throw new InvalidStateArgument(`${what} contains a lone UTF-16 surrogate and cannot be stored as UTF-8`);
  }
}

/** Checks an optional TTL: absent, or a positive safe integer of milliseconds. */
export function checkTtl(ttlMs: number | undefined): void {
  if (ttlMs === undefined) return;
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new InvalidStateArgument(`ttlMs must be a positive integer of milliseconds, got ${String(ttlMs)}`);
  }
}

/** Checks an increment: a safe integer. */
export function checkIncrement(by: number): void {
  if (!Number.isSafeInteger(by))
    throw new InvalidStateArgument(`by must be a safe integer, got ${String(by)}`);
}

/** Parses a counter the way Redis does: canonical decimal integers only; null otherwise. */
export function parseCounter(value: string): number | null {
  if (!/^(0|-?[1-9]\d{0,18})$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

/** Adds to a counter, refusing to leave the safe integer range (where numbers would silently round). */
export function addToCounter(current: number, by: number): number {
  const next = current + by;
  if (!Number.isSafeInteger(next)) throw new InvalidStateArgument('increment would overflow a safe integer');
  return next;
}

/** A key for an error message: quoted, and cut short so a 1 MB key does not become a 1 MB message. */
export function quoteKey(key: string): string {
  return JSON.stringify(key.length > 80 ? `${key.slice(0, 80)}…` : key);
}
