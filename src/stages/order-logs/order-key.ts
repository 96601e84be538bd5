import { instantFromUnixNanos } from '../../core/time.ts';

/**
 * A hybrid-logical-clock order key: `l` is a physical instant (Unix ns, offset-corrected), `c` a logical
 * counter that orders events sharing the same `l`. Keys compare by `l`, then `c`.
 *
 * The text form is `<normalized instant of l>.<c, 6 digits>` (e.g. `2026-11-24T10:00:00.123456789Z.000002`)
 * so that text order is key order in SQL and in Elasticsearch keyword sorts, and the key still reads as
 * a time.
 */
export interface OrderKey {
  readonly l: bigint;
  readonly c: number;
}

export const MAX_LOGICAL = 999_999;
/** 1970-01-01 and 9999-12-31T23:59:59.999999999Z: what the text form shows (earlier is a broken clock). */
const MIN_L = 0n;
const MAX_L = 253_402_300_799_999_999_999n;

export function compareKeys(a: OrderKey, b: OrderKey): number {
  if (a.l !== b.l) return a.l < b.l ? -1 : 1;
  return a.c - b.c;
}

export function maxKey(a: OrderKey | null, b: OrderKey | null): OrderKey | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareKeys(a, b) >= 0 ? a : b;
}

export function minKey(a: OrderKey | null, b: OrderKey | null): OrderKey | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareKeys(a, b) <= 0 ? a : b;
}

/** The smallest key greater than `k` (the counter carries into the next nanosecond). */
export function keyAfter(k: OrderKey): OrderKey {
  return k.c < MAX_LOGICAL ? { l: k.l, c: k.c + 1 } : { l: k.l + 1n, c: 0 };
}

/** The greatest key smaller than `k`. */
export function keyBefore(k: OrderKey): OrderKey {
  return k.c > 0 ? { l: k.l, c: k.c - 1 } : { l: k.l - 1n, c: MAX_LOGICAL };
}

/**
 * How far the HLC rule moves the counter past the latest predecessor. Not 1: an event that comes late
 * (a chunk of lines re-sent minutes later, into a span keyed long ago) must find keys between two that
 * were given in a row, and the physical part often leaves none (every event after an early-keyed parent
 * shares its `l`).
 */
export const LOGICAL_STEP = 1_000;

/**
 * The HLC rule over known predecessors: the physical time `pt` when it is past every predecessor,
 * otherwise after the latest predecessor (its counter plus `LOGICAL_STEP`, carrying into the next
 * nanosecond). Monotone along every edge it is given.
 */
export function hlcKey(pt: bigint, latestPredecessor: OrderKey | null): OrderKey {
  const physical = clampL(pt);
  if (latestPredecessor === null || physical > latestPredecessor.l) return { l: physical, c: 0 };
  const { l, c } = latestPredecessor;
  return c <= MAX_LOGICAL - LOGICAL_STEP ? { l, c: c + LOGICAL_STEP } : { l: l + 1n, c: 0 };
}

/** Keeps `l` where the text form can show it (garbage clocks and absurd offsets end up at the edges). */
export function clampL(l: bigint): bigint {
  return l < MIN_L ? MIN_L : l > MAX_L ? MAX_L : l;
}

/** The date-time text of the last whole second formatted: keys come in bursts within one second. */
let lastSecond = -1n;
let lastSecondText = '';

export function formatOrderKey(k: OrderKey): string {
  const l = clampL(k.l);
  const second = l / 1_000_000_000n;
  if (second !== lastSecond) {
    const instant = instantFromUnixNanos(second * 1_000_000_000n) ?? '1970-01-01T00:00:00.000000000Z';
    lastSecondText = instant.slice(0, 20);
    lastSecond = second;
  }
  const nanos = String(l - second * 1_000_000_000n).padStart(9, '0');
  return `${lastSecondText}${nanos}Z.${String(Math.min(Math.max(k.c, 0), MAX_LOGICAL)).padStart(6, '0')}`;
}

const KEY_TEXT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.(\d{9})Z\.(\d{6})$/;

export function parseOrderKey(text: string): OrderKey | null {
  const m = KEY_TEXT.exec(text);
  if (!m) return null;
  const seconds = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(seconds)) return null;
  return { l: BigInt(seconds / 1000) * 1_000_000_000n + BigInt(m[2] as string), c: Number(m[3]) };
}
