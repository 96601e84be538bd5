const UNITS: readonly [string, number][] = [
  ['y', 365 * 86_400_000],
  ['w', 7 * 86_400_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];
const PATTERN = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/**
 * Prometheus' duration syntax (`1h30m`, `5m`, `10s`, `1d`, `250ms`), as alertmanager.yml and rule files
 * write it, to milliseconds; null when malformed. `0` alone is zero.
 */
export function parsePrometheusDuration(text: string): number | null {
  if (text === '0') return 0;
  if (text === '' || text.length > 64) return null;
  const m = PATTERN.exec(text);
  if (!m) return null;
  let ms = 0;
  UNITS.forEach(([, factor], i) => {
    const part = m[i + 1];
    if (part !== undefined) ms += Number(part) * factor;
  });
  return Number.isSafeInteger(ms) ? ms : null;
}

export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, factor] of UNITS) {
    if (unit === 'y' || unit === 'w') continue;
    const n = Math.floor(rest / factor);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * factor;
  }
  return out;
}
