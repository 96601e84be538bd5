import type { Perfdatum } from '../../core/event.ts';
import { parsePerfNumber, parseThresholdRange, type ThresholdRange } from './parse-threshold-range.ts';

/** Units the plugin guidelines name. Others (`KiB`, `MiB` from check_disk -u...) are kept as written. */
export const GUIDELINE_UNITS: readonly string[] = [
  '',
  's',
  'ms',
  'us',
  '%',
  'B',
  'KB',
  'MB',
  'GB',
  'TB',
  'c',
];

/** One perfdata item: the event-model fields plus the raw text and the parsed threshold ranges. */
export interface PerfdataItem extends Perfdatum {
  raw: string;
  warnRange: ThresholdRange | null;
  critRange: ThresholdRange | null;
}

export type PerfdataProblemReason =
  | 'unterminated-quote'
  | 'missing-equals'
  | 'empty-label'
  | 'bad-value'
  | 'value-out-of-range'
  | 'bad-threshold'
  | 'bad-min'
  | 'bad-max'
  | 'extra-fields'
  | 'trailing-comma';

/**
 * Something wrong with one item. `kept: false` means the item was dropped (its label or value is
 * unreadable); `kept: true` means the item was kept and only the named field was left null.
 */
export interface PerfdataProblem {
  /** 0-based position of the item among the whitespace-separated items. */
  index: number;
  raw: string;
  reason: PerfdataProblemReason;
  detail: string;
  kept: boolean;
}

export interface ParsedPerfdata {
  items: PerfdataItem[];
  problems: PerfdataProblem[];
}

const VALUE = /^([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|U)(.*)$/s;
/** A unit may not start like a number (that would be a second value glued on, e.g. `1.2.3`). */
const UNIT = /^[^\d.,+\-;\s][^;\s]*$/;
const SHOWN = 80;

/**
 * Parses a perfdata string (`'label'=value[UOM];[warn];[crit];[min];[max] ...`). Never throws: unreadable
 * items are reported in `problems` and their well-formed neighbours are kept.
 */
export function parsePerfdata(text: string): ParsedPerfdata {
  const items: PerfdataItem[] = [];
  const problems: PerfdataProblem[] = [];
  splitItems(text).forEach((token, index) => {
    const item = parseItem(token, index, problems);
    if (item) items.push(item);
  });
  return { items, problems };
}

interface Token {
  raw: string;
  unterminated: boolean;
}

/** Splits on whitespace outside single quotes; a quote only opens a label at the start of an item. */
function splitItems(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    let unterminated = false;
    if (text[i] === "'") {
      const close = closingQuote(text, i + 1);
      if (close === -1) {
        unterminated = true;
        i += 1;
      } else {
        i = close + 1;
      }
    }
    while (i < n && !isSpace(text.charCodeAt(i))) i++;
    tokens.push({ raw: text.slice(start, i), unterminated });
  }
  return tokens;
}

/** Index of the quote that closes a label opened before `from` (`''` is an escaped quote), or -1. */
function closingQuote(text: string, from: number): number {
  let j = text.indexOf("'", from);
  while (j !== -1) {
    if (text[j + 1] !== "'") return j;
    j = text.indexOf("'", j + 2);
  }
  return -1;
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/** Collects problems of one item; plain object, so the hot path allocates no closures. */
interface ItemProblems {
  problems: PerfdataProblem[];
  index: number;
  raw: string;
}

function note(at: ItemProblems, reason: PerfdataProblemReason, detail: string, kept: boolean): void {
  at.problems.push({ index: at.index, raw: at.raw, reason, detail, kept });
}

function parseItem(token: Token, index: number, problems: PerfdataProblem[]): PerfdataItem | null {
  const { raw } = token;
  const at: ItemProblems = { problems, index, raw };
  if (token.unterminated)
    return dropped(at, 'unterminated-quote', `label quote is never closed in ${show(raw)}`);

  let label: string;
  let rest: string;
  if (raw.startsWith("'")) {
    const close = closingQuote(raw, 1);
    label = raw.slice(1, close).replaceAll("''", "'");
    rest = raw.slice(close + 1);
    if (!rest.startsWith('='))
      return dropped(at, 'missing-equals', `no '=' after the quoted label in ${show(raw)}`);
  } else {
    const eq = raw.indexOf('=');
    if (eq === -1) return dropped(at, 'missing-equals', `no '=' in ${show(raw)}`);
    label = raw.slice(0, eq);
    rest = raw.slice(eq);
  }
  if (label.trim().length === 0) return dropped(at, 'empty-label', `empty label in ${show(raw)}`);

  let body = rest.slice(1);
  // The official Nagios docs show `percent_packet_loss=0, rta=0.80`: tolerate the comma separator.
  if (body.endsWith(',')) {
    body = body.replace(/,+$/, '');
    note(at, 'trailing-comma', 'items separated by commas', true);
  }
  const fields = body.split(';');
  const valueField = fields[0] ?? '';
  const m = VALUE.exec(valueField);
  if (!m) return dropped(at, 'bad-value', `value ${show(valueField)} of ${show(label)} is not a number or U`);
  const [, valueText = '', unit = ''] = m;
  if (unit !== '' && !UNIT.test(unit))
    return dropped(at, 'bad-value', `value ${show(valueField)} of ${show(label)}`);
  let value: number | null = null;
  if (valueText !== 'U') {
    value = Number(valueText);
    if (!Number.isFinite(value))
      return dropped(at, 'value-out-of-range', `value of ${show(label)} overflows`);
  }

  const warn = thresholdText(fields[1]);
  const warnRange = warn === null ? null : rangeOrNote(at, warn, 'warn', label);
  const crit = thresholdText(fields[2]);
  const critRange = crit === null ? null : rangeOrNote(at, crit, 'crit', label);
  const min = bound(at, fields[3], 'bad-min', label);
  const max = bound(at, fields[4], 'bad-max', label);
  if (fields.length > 5) note(at, 'extra-fields', `${fields.length - 5} field(s) after max ignored`, true);
  return { label, value, unit, warn, crit, min, max, raw, warnRange, critRange };
}

function dropped(at: ItemProblems, reason: PerfdataProblemReason, detail: string): null {
  note(at, reason, detail, false);
  return null;
}

function thresholdText(field: string | undefined): string | null {
  const text = field?.trim() ?? '';
  return text === '' ? null : text;
}

function rangeOrNote(
  at: ItemProblems,
  text: string,
  which: 'warn' | 'crit',
  label: string,
): ThresholdRange | null {
  const range = parseThresholdRange(text);
  if (!range) note(at, 'bad-threshold', `${which} ${show(text)} of ${show(label)} is not a range`, true);
  return range;
}

function bound(
  at: ItemProblems,
  field: string | undefined,
  reason: 'bad-min' | 'bad-max',
  label: string,
): number | null {
  const text = field?.trim() ?? '';
  if (text === '') return null;
  const value = parsePerfNumber(text);
  if (value === null)
    note(at, reason, `${reason.slice(4)} ${show(text)} of ${show(label)} is not a number`, true);
  return value;
}

/** Quotes a fragment for a message, bounded so a 1 MB label does not become a 1 MB message. */
function show(text: string): string {
  return JSON.stringify(text.length > SHOWN ? `${text.slice(0, SHOWN)}…` : text);
}
