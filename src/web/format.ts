/** Display helpers: every page shows times in UTC and sizes in binary units. */

export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${bytes < 0 ? '-' : ''}${value >= 100 || unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

export function formatRate(bytesPerSecond: number | null): string {
  return bytesPerSecond === null ? '–' : `${formatBytes(bytesPerSecond)}/s`;
}

export function formatPercent(value: number | null, digits = 1): string {
  return value === null || !Number.isFinite(value) ? '–' : `${value.toFixed(digits)} %`;
}

/** `HH:MM:SS` of a normalized instant. */
export function clockTime(instant: string): string {
  return instant.slice(11, 19);
}

/** `YYYY-MM-DD HH:MM:SS` of a normalized instant. */
export function dateTime(instant: string): string {
  return `${instant.slice(0, 10)} ${instant.slice(11, 19)}`;
}

export function ago(instant: string, nowMs: number): string {
  const seconds = Math.max(0, Math.round((nowMs - millisOf(instant)) / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

/** Milliseconds of a normalized instant (nine fractional digits, which Date.parse does not take). */
export function millisOf(instant: string): number {
  return Date.parse(`${instant.slice(0, 23)}Z`);
}
