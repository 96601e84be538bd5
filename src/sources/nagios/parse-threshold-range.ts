/**
 * A Nagios plugin threshold range, `[@]start:end` as the plugin guidelines define it:
 * `10` is 0..10, `10:` is 10..+inf, `~:10` is -inf..10, `10:20`, and a leading `@` alerts *inside* the range
 * instead of outside it. Unbounded ends are null (JSON has no Infinity).
 */
export interface ThresholdRange {
  /** Lower bound, null for -infinity (`~`). */
  start: number | null;
  /** Upper bound, null for +infinity (nothing after the colon). */
  end: number | null;
  /** True for `@` ranges: alert when the value is inside [start, end]. */
  inside: boolean;
}

const NUMBER = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?`;
const RANGE = new RegExp(`^(@)?(?:(~|${NUMBER})?(:))?(${NUMBER})?$`);
const NUMBER_ONLY = new RegExp(`^${NUMBER}$`);

/** Longer texts are not ranges; the bound keeps the regex cheap on hostile input. */
const MAX_RANGE_TEXT = 128;

/** Parses a finite number written the way plugins write them (no hex, no `Infinity`), else null. */
export function parsePerfNumber(text: string): number | null {
  if (text.length > MAX_RANGE_TEXT || !NUMBER_ONLY.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** Parses one warn/crit range; null when the text is not a valid range (start above end included). */
export function parseThresholdRange(text: string): ThresholdRange | null {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_RANGE_TEXT) return null;
  const m = RANGE.exec(trimmed);
  if (!m) return null;
  const [, at, startText, colon, endText] = m;
  if (colon === undefined && endText === undefined) return null;
  let start: number | null = 0;
  if (startText === '~') start = null;
  else if (startText !== undefined) start = parsePerfNumber(startText);
  let end: number | null = null;
  if (endText !== undefined) end = parsePerfNumber(endText);
  // A written bound that overflowed to Infinity is not a usable bound.
  if (
    (startText !== undefined && startText !== '~' && start === null) ||
    (endText !== undefined && end === null)
  ) {
    return null;
  }
  if (start !== null && end !== null && start > end) return null;
  return { start, end, inside: at === '@' };
}

/** Nagios semantics: true when `value` should raise the alert this range describes. */
export function rangeAlerts(range: ThresholdRange, value: number): boolean {
  const aboveStart = range.start === null || value >= range.start;
  const belowEnd = range.end === null || value <= range.end;
  const within = aboveStart && belowEnd;
  return range.inside ? within : !within;
}
