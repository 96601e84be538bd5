/**
 * Where each event lives: one index per UTC day of the event's `time`, so retention drops whole indices.
 * The index is a function of the event alone (given the outlier window), which keeps `_id` uniqueness,
 * and so replay idempotency, within one index.
 */

const DAY_MS = 86_400_000;
const DAILY_SUFFIX = /^\d{4}\.\d{2}\.\d{2}$/;

export interface IndexWindow {
  outlierPastDays: number;
  outlierFutureDays: number;
}

export function eventIndexPattern(prefix: string): string {
  return `${prefix}-events-*`;
}

export function outlierIndex(prefix: string): string {
  return `${prefix}-events-outliers`;
}

export function rejectionIndex(prefix: string): string {
  return `${prefix}-rejections`;
}

/** `YYYY.MM.DD` of a normalized instant (`YYYY-MM-DDT...`). */
export function dayOf(instant: string): string {
  return instant.slice(0, 10).replaceAll('-', '.');
}

/** The daily index of `time`, or the outlier index when its day is outside the window around `nowMs`. */
export function eventIndexFor(prefix: string, time: string, nowMs: number, window: IndexWindow): string {
  const dayMs = Date.parse(`${time.slice(0, 10)}T00:00:00Z`);
  const todayMs = Math.floor(nowMs / DAY_MS) * DAY_MS;
  if (
    Number.isNaN(dayMs) ||
    dayMs < todayMs - window.outlierPastDays * DAY_MS ||
    dayMs > todayMs + window.outlierFutureDays * DAY_MS
  ) {
    return outlierIndex(prefix);
  }
  return `${prefix}-events-${dayOf(time)}`;
}

/** The day (`YYYY.MM.DD`) of one of our daily index names, or null for any other index. */
export function dailyIndexDay(prefix: string, index: string): string | null {
  const head = `${prefix}-events-`;
  if (!index.startsWith(head)) return null;
  const day = index.slice(head.length);
  return DAILY_SUFFIX.test(day) ? day : null;
}
