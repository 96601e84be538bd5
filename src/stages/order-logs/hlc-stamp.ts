import type { OrderKey } from './order-key.ts';

const MS_AND_COUNTER = /^(\d{10,16})(?:\.(\d{1,9}))?[:.\-/](\d{1,6})$/;
const NANOS = /^\d{16,19}$/;
const MILLIS = /^\d{10,13}$/;

/**
 * An emitter's hybrid-logical-clock stamp (attribute `hlc`), as an order key, or null when there is none
 * or it is not one of the accepted shapes:
 * - `"<unix ms>:<counter>"` or `"<unix ms>.<counter>"` (also `-` or `/` as separator),
 * - `"<unix ns>"` or `"<unix ms>"` (counter 0), or a number of unix ms,
 * - `{ "l" | "physical" | "wall": <unix ms>, "c" | "logical": <counter> }`.
 * Stamps before 2000 or after 2200 are ignored: they are not clocks.
 */
export function parseHlcStamp(value: unknown): OrderKey | null {
  if (typeof value === 'number') return stampOf(value, 0);
  if (typeof value === 'string') {
    if (value.length > 40) return null;
    if (NANOS.test(value)) return plausible({ l: BigInt(value), c: 0 });
    if (MILLIS.test(value)) return stampOf(Number(value), 0);
    const m = MS_AND_COUNTER.exec(value);
    if (!m) return null;
    // `<ms>.<fraction>:<counter>` keeps the sub-millisecond digits.
    const fraction = m[2] === undefined ? 0 : Number(`0.${m[2]}`);
    return stampOf(Number(m[1]) + fraction, Number(m[3]));
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    const physical = v.l ?? v.physical ?? v.wall;
    const logical = v.c ?? v.logical ?? 0;
    if (typeof physical === 'number' && typeof logical === 'number') return stampOf(physical, logical);
  }
  return null;
}

function stampOf(ms: number, counter: number): OrderKey | null {
  if (!Number.isFinite(ms) || !Number.isInteger(counter) || counter < 0 || counter > 999_999) return null;
  // Whole milliseconds and the fraction apart: ms * 1e6 would not be exact as a double.
  const whole = Math.trunc(ms);
  return plausible({ l: BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6)), c: counter });
}

const YEAR_2000 = 946_684_800_000_000_000n;
const YEAR_2200 = 7_258_118_400_000_000_000n;

function plausible(k: OrderKey): OrderKey | null {
  return k.l >= YEAR_2000 && k.l < YEAR_2200 ? k : null;
}
