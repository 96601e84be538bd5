/**
 * A hand-written scanner for one sample line of the Prometheus text exposition format 0.0.4:
 *
 *   metric_name [ "{" label_name "=" `"` label_value `"` { "," ... } [ "," ] "}" ] value [ timestamp ]
 *
 * It walks the line once by char code (no regular expressions, so no backtracking on hostile input) and
 * never throws: a malformed line comes back as a failure with a machine-readable reason and a column.
 */

export interface ScannedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** The value literal when a float cannot carry it (integers beyond 2^53, NaN, ±Inf). */
  valueText?: string;
  timestampMs?: number;
}

export interface ScanFailure {
  ok: false;
  reason: string;
  message: string;
  /** 0-based offset in the line. */
  at: number;
}

export type ScanOutcome = { ok: true; sample: ScannedSample } | ScanFailure;

const TAB = 9;
const SPACE = 32;
const QUOTE = 34;
const COMMA = 44;
const EQUALS = 61;
const BACKSLASH = 92;
const LOWER_N = 110;
const LBRACE = 123;
const RBRACE = 125;

export function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

function isLetterOrUnderscore(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isMetricNameStart(c: number): boolean {
  return isLetterOrUnderscore(c) || c === 58;
}

export function isMetricNameChar(c: number): boolean {
  return isLetterOrUnderscore(c) || c === 58 || isDigit(c);
}

export function skipBlanks(line: string, i: number): number {
  while (i < line.length && isBlank(line.charCodeAt(i))) i++;
  return i;
}

/** End offset of the run of characters up to the next blank or the end of the line. */
export function tokenEnd(line: string, i: number): number {
  while (i < line.length && !isBlank(line.charCodeAt(i))) i++;
  return i;
}

/** Shows a piece of hostile input in a message without letting it grow the message. */
export function clip(text: string, max = 40): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

function fail(reason: string, message: string, at: number): ScanFailure {
  return { ok: false, reason, message, at };
}

export function scanSampleLine(line: string, start: number): ScanOutcome {
  const n = line.length;
  let i = start;
  if (i >= n || !isMetricNameStart(line.charCodeAt(i))) {
    return fail('invalid_metric_name', `expected a metric name, found ${clip(line.slice(i, i + 1))}`, i);
  }
  i++;
  while (i < n && isMetricNameChar(line.charCodeAt(i))) i++;
  const name = line.slice(start, i);
  if (i < n && !isBlank(line.charCodeAt(i)) && line.charCodeAt(i) !== LBRACE) {
    return fail('invalid_metric_name', `unexpected ${clip(line.charAt(i))} in metric name ${clip(name)}`, i);
  }
  i = skipBlanks(line, i);

  let labels: Record<string, string> = {};
  if (i < n && line.charCodeAt(i) === LBRACE) {
    const scanned = scanLabels(line, i + 1);
    if (!scanned.ok) return scanned;
    labels = scanned.labels;
    i = skipBlanks(line, scanned.end);
  }

  if (i >= n) return fail('missing_value', `no value after ${clip(name)}`, i);
  const valueStart = i;
  i = tokenEnd(line, i);
  const valueToken = line.slice(valueStart, i);
  const value = parseSampleValue(valueToken);
  if (value === null) {
    return fail('invalid_value', `value ${clip(valueToken)} is not a float64, NaN or ±Inf`, valueStart);
  }
  const sample: ScannedSample = { name, labels, value: value.value };
  if (value.text !== undefined) sample.valueText = value.text;

  i = skipBlanks(line, i);
  if (i < n) {
    const timestampStart = i;
    i = tokenEnd(line, i);
    const timestampToken = line.slice(timestampStart, i);
    const timestampMs = parseTimestampMs(timestampToken);
    if (timestampMs === null) {
      return fail(
        'invalid_timestamp',
        `timestamp ${clip(timestampToken)} is not integer Unix milliseconds between 1970 and 9999`,
        timestampStart,
      );
    }
    sample.timestampMs = timestampMs;
    i = skipBlanks(line, i);
    if (i < n) return fail('trailing_characters', `unexpected ${clip(line.slice(i))} after the timestamp`, i);
  }
  return { ok: true, sample };
}

type LabelsOutcome = { ok: true; labels: Record<string, string>; end: number } | ScanFailure;

/** Scans from just after `{` to just after the matching `}`. */
function scanLabels(line: string, from: number): LabelsOutcome {
  const n = line.length;
  const labels: Record<string, string> = {};
  let i = from;
  for (;;) {
    i = skipBlanks(line, i);
    if (i >= n) return fail('unterminated_labels', "label set has no closing '}'", i);
    if (line.charCodeAt(i) === RBRACE) return { ok: true, labels, end: i + 1 };

    const nameStart = i;
    if (!isLetterOrUnderscore(line.charCodeAt(i))) {
      return fail('invalid_label_name', `expected a label name, found ${clip(line.charAt(i))}`, i);
    }
    i++;
    while (i < n && (isLetterOrUnderscore(line.charCodeAt(i)) || isDigit(line.charCodeAt(i)))) i++;
    const labelName = line.slice(nameStart, i);
    i = skipBlanks(line, i);
    if (line.charCodeAt(i) !== EQUALS) {
      return fail('invalid_labels', `expected '=' after label name ${clip(labelName)}`, i);
    }
    i = skipBlanks(line, i + 1);
    if (line.charCodeAt(i) !== QUOTE) {
      return fail('invalid_labels', `expected '"' to open the value of label ${clip(labelName)}`, i);
    }
    const value = scanLabelValue(line, i + 1, labelName);
    if (!value.ok) return value;
    if (Object.hasOwn(labels, labelName)) {
      return fail('duplicate_label', `label ${clip(labelName)} appears twice`, nameStart);
    }
    setLabel(labels, labelName, value.text);
    i = skipBlanks(line, value.end);
    const c = line.charCodeAt(i);
    if (c === COMMA) i++;
    else if (c !== RBRACE) {
      return i >= n
        ? fail('unterminated_labels', "label set has no closing '}'", i)
        : fail('invalid_labels', `expected ',' or '}' after label ${clip(labelName)}`, i);
    }
  }
}

type ValueOutcome = { ok: true; text: string; end: number } | ScanFailure;

/** Scans from just after the opening quote to just after the closing one, resolving `\\`, `\"`, `\n`. */
function scanLabelValue(line: string, from: number, labelName: string): ValueOutcome {
  const n = line.length;
  let text = '';
  let chunkStart = from;
  let i = from;
  for (;;) {
    if (i >= n) {
      return fail(
        'unterminated_label_value',
        `value of label ${clip(labelName)} has no closing quote`,
        from - 1,
      );
    }
    const c = line.charCodeAt(i);
    if (c === QUOTE) break;
    if (c !== BACKSLASH) {
      i++;
      continue;
    }
    text += line.slice(chunkStart, i);
    const next = line.charCodeAt(i + 1);
    if (next === BACKSLASH) text += '\\';
    else if (next === QUOTE) text += '"';
    else if (next === LOWER_N) text += '\n';
    else {
      return fail(
        'invalid_escape',
        `invalid escape ${clip(line.slice(i, i + 2))} in the value of label ${clip(labelName)}`,
        i,
      );
    }
    i += 2;
    chunkStart = i;
  }
  return { ok: true, text: text + line.slice(chunkStart, i), end: i + 1 };
}

/** `__proto__` is a valid label name: define it as an own property instead of setting the prototype. */
export function setLabel(labels: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__') {
    Object.defineProperty(labels, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    labels[name] = value;
  }
}

/**
 * Go's strconv.ParseFloat as the Prometheus parser uses it, restricted to decimal notation: NaN and
 * [±]Inf/Infinity in any case, and [±]digits[.digits][e[±]digits]. Overflow to ±Inf is rejected, as Go does.
 */
export function parseSampleValue(token: string): { value: number; text?: string } | null {
  const special = parseSpecialFloat(token);
  if (special !== null) return special;
  if (!isDecimalFloat(token)) return null;
  const value = Number(token);
  if (!Number.isFinite(value)) return null;
  if (!Number.isSafeInteger(value) && isIntegerLiteral(token)) {
    return { value, text: token.charCodeAt(0) === 43 ? token.slice(1) : token };
  }
  return { value };
}

function parseSpecialFloat(token: string): { value: number; text: string } | null {
  if (token.length < 3 || token.length > 9) return null;
  const lower = token.toLowerCase();
  if (lower === 'nan') return { value: Number.NaN, text: 'NaN' };
  const unsigned = lower.charCodeAt(0) === 43 || lower.charCodeAt(0) === 45 ? lower.slice(1) : lower;
  if (unsigned !== 'inf' && unsigned !== 'infinity') return null;
  return lower.startsWith('-')
    ? { value: Number.NEGATIVE_INFINITY, text: '-Inf' }
    : { value: Number.POSITIVE_INFINITY, text: '+Inf' };
}

function isDecimalFloat(token: string): boolean {
  const n = token.length;
  let i = 0;
  const first = token.charCodeAt(0);
  if (first === 43 || first === 45) i++;
  let digits = 0;
  while (i < n && isDigit(token.charCodeAt(i))) {
    i++;
    digits++;
  }
  if (token.charCodeAt(i) === 46) {
    i++;
    while (i < n && isDigit(token.charCodeAt(i))) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return false;
  const e = token.charCodeAt(i);
  if (e === 101 || e === 69) {
    i++;
    const sign = token.charCodeAt(i);
    if (sign === 43 || sign === 45) i++;
    const expStart = i;
    while (i < n && isDigit(token.charCodeAt(i))) i++;
    if (i === expStart) return false;
  }
  return i === n;
}

function isIntegerLiteral(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (!isDigit(c) && !(i === 0 && (c === 43 || c === 45))) return false;
  }
  return true;
}

/** Latest instant the event model can hold: 9999-12-31T23:59:59.999Z. */
const MAX_TIMESTAMP_MS = 253_402_300_799_999;

/**
 * Integer Unix milliseconds as Go's strconv.ParseInt reads them (optional sign). The format allows any
 * int64; we accept 1970-01-01 .. 9999-12-31, the instants an event can carry, and reject the rest.
 */
export function parseTimestampMs(token: string): number | null {
  if (token.length === 0 || token.length > 20) return null;
  if (!isIntegerLiteral(token) || token === '+' || token === '-') return null;
  const ms = Number(token);
  return ms >= 0 && ms <= MAX_TIMESTAMP_MS ? ms : null;
}
