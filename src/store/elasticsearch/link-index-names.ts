import { dayOf, type IndexWindow } from './index-names.ts';

/**
 * Where the trace-link indexes live, by day so retention drops whole indices as it does for events:
 * - `<prefix>-trace-links-YYYY.MM.DD`: links, by the day they were recorded (our own clock);
 * - `<prefix>-call-ends-YYYY.MM.DD`: call ends, by the day the span started, or `<prefix>-call-ends-outliers`
 *   when that day lies outside the window around now (a hostile start cannot create thousands of indices).
 */

const DAY_MS = 86_400_000;
const DAILY_SUFFIX = /^\d{4}\.\d{2}\.\d{2}$/;

/** A family of daily indices `<prefix>-<name>-YYYY.MM.DD`, with an optional outlier index. */
export interface DailyIndices {
  /** Every index of the family (`<prefix>-<name>-*`). */
  pattern: string;
  /** The day (`YYYY.MM.DD`) of a daily index of the family, null for any other index. */
  dayOf(index: string): string | null;
  /** The one index for days outside the window, or null when the family has none. */
  outlier: string | null;
}

function dailyIndices(prefix: string, name: string, outlier: boolean): DailyIndices {
  const head = `${prefix}-${name}-`;
  return {
    pattern: `${head}*`,
    dayOf(index) {
      if (!index.startsWith(head)) return null;
      const day = index.slice(head.length);
      return DAILY_SUFFIX.test(day) ? day : null;
    },
    outlier: outlier ? `${head}outliers` : null,
  };
}

export function traceLinkIndices(prefix: string): DailyIndices {
  return dailyIndices(prefix, 'trace-links', false);
}

export function callEndIndices(prefix: string): DailyIndices {
  return dailyIndices(prefix, 'call-ends', true);
}

/** The index of a link recorded at `recordedAt` (a normalized instant). */
export function traceLinkIndexFor(prefix: string, recordedAt: string): string {
  return `${prefix}-trace-links-${dayOf(recordedAt)}`;
}

/** The daily index of a call end that started at `startMs`, or the outlier index (see above). */
export function callEndIndexFor(prefix: string, startMs: number, nowMs: number, window: IndexWindow): string {
  const dayMs = Math.floor(startMs / DAY_MS) * DAY_MS;
  const todayMs = Math.floor(nowMs / DAY_MS) * DAY_MS;
  if (
    !Number.isFinite(dayMs) ||
    dayMs < todayMs - window.outlierPastDays * DAY_MS ||
    dayMs > todayMs + window.outlierFutureDays * DAY_MS
  ) {
    return `${prefix}-call-ends-outliers`;
  }
  return `${prefix}-call-ends-${dayOf(new Date(dayMs).toISOString())}`;
}
