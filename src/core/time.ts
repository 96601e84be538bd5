/**
 * Instants as normalized strings: `YYYY-MM-DDTHH:MM:SS.fffffffffZ` (UTC, nine fractional digits).
 * Lexicographic order of such strings is chronological order, and nanoseconds survive JSON and SQL.
 */

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

const MAX_TEXT = 64;

/**
 * Parses an ISO-8601 timestamp as Logstash, Beats and most agents write it: `T` or space, `.` or `,`
 * before up to nine fractional digits, `Z`, `±HH:MM`, `±HHMM`, `±HH` or no zone (taken as UTC),
 * or a date alone. Returns the normalized instant, or null when the text is not such a timestamp.
 */
export function parseTimestamp(text: string): string | null {
  if (text.length > MAX_TEXT) return null;
  const m = ISO.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return null;
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const check = new Date(0);
  check.setUTCFullYear(year, month - 1, day);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null;
  const base = check.getTime() + ((hour * 60 + minute) * 60 + Math.min(second, 59)) * 1000;
  const offsetMs = zoneOffsetMs(zone);
  if (offsetMs === null) return null;
  return formatInstant(base - offsetMs, frac.padEnd(9, '0'));
}

function zoneOffsetMs(zone: string | undefined): number | null {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 23 || minutes > 59) return null;
  return sign * (hours * 60 + minutes) * 60_000;
}

/** `wholeMs` must be a whole second; `nanos9` the nine-digit fraction. */
function formatInstant(wholeMs: number, nanos9: string): string | null {
  const date = new Date(wholeMs);
  if (Number.isNaN(date.getTime())) return null;
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) return null;
  return `${date.toISOString().slice(0, 19)}.${nanos9}Z`;
}

/** Normalized instant from Unix nanoseconds (OTLP `timeUnixNano`). */
export function instantFromUnixNanos(nanos: bigint): string | null {
  if (nanos < 0n) return null;
  const seconds = nanos / 1_000_000_000n;
  const frac = (nanos % 1_000_000_000n).toString().padStart(9, '0');
  return formatInstant(Number(seconds) * 1000, frac);
}

/** Normalized instant from Unix milliseconds (may carry a fraction of a millisecond). */
export function instantFromUnixMillis(ms: number): string | null {
  if (!Number.isFinite(ms)) return null;
  // Whole and fractional milliseconds apart: `ms * 1e6` would add float noise (…123000064).
  const whole = Math.floor(ms);
  return instantFromUnixNanos(BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6)));
}

/** Unix nanoseconds of a normalized instant. */
export function unixNanos(instant: string): bigint {
  const wholeSeconds = BigInt(Date.parse(instant.slice(0, 19) + 'Z') / 1000);
  return wholeSeconds * 1_000_000_000n + BigInt(instant.slice(20, 29));
}

/** Unix milliseconds (float, sub-millisecond digits kept as a fraction). */
export function unixMillis(instant: string): number {
  return Date.parse(instant.slice(0, 19) + 'Z') + Number(instant.slice(20, 29)) / 1e6;
}

export function nowInstant(): string {
  return instantFromUnixMillis(Date.now()) as string;
}
