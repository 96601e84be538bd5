import type { Rejection } from '../../core/event.ts';
import {
  clip,
  isBlank,
  isMetricNameChar,
  isMetricNameStart,
  scanSampleLine,
  skipBlanks,
  tokenEnd,
} from './scan-sample-line.ts';

/**
 * Parser for the Prometheus text exposition format 0.0.4 (what cAdvisor, node_exporter and every
 * client library serve on /metrics). Pure and synchronous; a bad line becomes a `Rejection` naming the
 * line and the reason, and the good lines around it are kept.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

const METRIC_TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

export interface ExpositionSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** The value literal when a float cannot carry it: integers beyond 2^53 (exact), `NaN`, `+Inf`, `-Inf`. */
  valueText?: string;
  /** Explicit sample timestamp (Unix ms) when the line carried one. */
  timestampMs?: number;
  /** Type of the family the sample belongs to; `untyped` without a TYPE line. */
  type: MetricType;
  /** Family name: `rpc_seconds` for `rpc_seconds_bucket`, `_sum` and `_count` of a histogram or summary. */
  family: string;
  /** 1-based line number in the payload. */
  line: number;
}

export interface ExpositionFamily {
  name: string;
  type: MetricType;
  help: string | null;
}

export interface ExpositionResult {
  samples: ExpositionSample[];
  /** Every family named by a HELP or TYPE line or by an untyped sample, in order of first appearance. */
  families: ExpositionFamily[];
  rejections: Rejection[];
}

export interface ExpositionOptions {
  /** `source` of the rejections (the input the text came from). Default `prometheus`. */
  source?: string;
}

interface FamilyState extends ExpositionFamily {
  typed: boolean;
  sampled: boolean;
}

export function parseExposition(text: string, options: ExpositionOptions = {}): ExpositionResult {
  const source = options.source ?? 'prometheus';
  const families = new Map<string, FamilyState>();
  const samples: ExpositionSample[] = [];
  const rejections: Rejection[] = [];
  const reject = (lineNo: number, raw: string, reason: string, message: string, at: number): void => {
    rejections.push({
      source,
      reason,
      detail: `line ${lineNo}, column ${at + 1}: ${message}`,
      location: `line ${lineNo}`,
      raw,
    });
  };
  const family = (name: string): FamilyState => {
    let state = families.get(name);
    if (!state) {
      state = { name, type: 'untyped', help: null, typed: false, sampled: false };
      families.set(name, state);
    }
    return state;
  };

  let lineNo = 0;
  let pos = 0;
  while (pos < text.length) {
    lineNo++;
    let end = text.indexOf('\n', pos);
    if (end === -1) end = text.length;
    // Tolerate CRLF payloads: the format says \n, but a \r before it is never meaningful.
    const line =
      text.charCodeAt(end - 1) === 13 && end > pos ? text.slice(pos, end - 1) : text.slice(pos, end);
    pos = end + 1;

    const start = skipBlanks(line, 0);
    if (start === line.length) continue;
    if (line.charCodeAt(start) === 35) {
      const problem = parseComment(line, start + 1, family);
      if (problem) reject(lineNo, line, problem.reason, problem.message, problem.at);
      continue;
    }

    const scanned = scanSampleLine(line, start);
    if (!scanned.ok) {
      reject(lineNo, line, scanned.reason, scanned.message, scanned.at);
      continue;
    }
    const { sample } = scanned;
    const owner = familyOf(sample.name, families);
    const problem = checkFamilyShape(sample.name, sample.labels, owner);
    if (problem) {
      reject(lineNo, line, problem.reason, problem.message, start);
      continue;
    }
    const state = owner ?? family(sample.name);
    state.sampled = true;
    const out: ExpositionSample = {
      name: sample.name,
      labels: sample.labels,
      value: sample.value,
      type: state.type,
      family: state.name,
      line: lineNo,
    };
    if (sample.valueText !== undefined) out.valueText = sample.valueText;
    if (sample.timestampMs !== undefined) out.timestampMs = sample.timestampMs;
    samples.push(out);
  }

  return {
    samples,
    families: [...families.values()].map(({ name, type, help }) => ({ name, type, help })),
    rejections,
  };
}

interface LineProblem {
  reason: string;
  message: string;
  at: number;
}

/** Handles `# HELP name text` and `# TYPE name type`; any other comment is ignored. */
function parseComment(line: string, from: number, family: (name: string) => FamilyState): LineProblem | null {
  let i = skipBlanks(line, from);
  const keywordEnd = tokenEnd(line, i);
  const keyword = line.slice(i, keywordEnd);
  if (keyword !== 'HELP' && keyword !== 'TYPE') return null;
  i = skipBlanks(line, keywordEnd);
  const nameStart = i;
  if (i >= line.length || !isMetricNameStart(line.charCodeAt(i))) {
    return { reason: 'invalid_metadata', message: `${keyword} line without a metric name`, at: i };
  }
  while (i < line.length && isMetricNameChar(line.charCodeAt(i))) i++;
  if (i < line.length && !isBlank(line.charCodeAt(i))) {
    return {
      reason: 'invalid_metadata',
      message: `unexpected ${clip(line.charAt(i))} in metric name`,
      at: i,
    };
  }
  const name = line.slice(nameStart, i);
  const rest = line.slice(skipBlanks(line, i));
  const state = family(name);

  if (keyword === 'HELP') {
    if (state.help !== null) {
      return { reason: 'duplicate_help', message: `second HELP line for ${clip(name)}`, at: nameStart };
    }
    state.help = unescapeHelp(rest);
    return null;
  }

  const typeName = rest.trimEnd().toLowerCase();
  if (!METRIC_TYPES.has(typeName)) {
    return {
      reason: 'invalid_type',
      message: `unknown metric type ${clip(rest)} for ${clip(name)}`,
      at: nameStart,
    };
  }
  if (state.typed) {
    return { reason: 'duplicate_type', message: `second TYPE line for ${clip(name)}`, at: nameStart };
  }
  if (state.sampled) {
    return {
      reason: 'type_after_samples',
      message: `TYPE line for ${clip(name)} after its samples`,
      at: nameStart,
    };
  }
  state.type = typeName as MetricType;
  state.typed = true;
  return null;
}

/** HELP text escapes `\\` and `\n`; any other backslash is kept as written. */
function unescapeHelp(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    const next = text.charAt(i + 1);
    if (c === '\\' && (next === '\\' || next === 'n')) {
      out += next === 'n' ? '\n' : '\\';
      i++;
    } else {
      out += c;
    }
  }
  return out;
}

/**
 * The family a sample name belongs to: its own TYPE when it has one, else the histogram or summary whose
 * `_bucket`, `_sum` or `_count` it is, else none yet (untyped).
 */
function familyOf(name: string, families: Map<string, FamilyState>): FamilyState | undefined {
  const own = families.get(name);
  if (own?.typed) return own;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!name.endsWith(suffix)) continue;
    const base = families.get(name.slice(0, -suffix.length));
    if (!base) continue;
    if (base.type === 'histogram' || (base.type === 'summary' && suffix !== '_bucket')) return base;
  }
  return own;
}

/** Histograms need `le` on their buckets, summaries `quantile` on their quantile samples. */
function checkFamilyShape(
  name: string,
  labels: Record<string, string>,
  owner: FamilyState | undefined,
): Omit<LineProblem, 'at'> | null {
  if (!owner || (owner.type !== 'histogram' && owner.type !== 'summary')) return null;
  const suffix = name.slice(owner.name.length);
  if (suffix === '_sum' || suffix === '_count') return null;
  if (owner.type === 'histogram' && suffix !== '_bucket') {
    return {
      reason: 'invalid_histogram_sample',
      message: `histogram ${clip(owner.name)} has no sample named ${clip(name)} (expected _bucket, _sum or _count)`,
    };
  }
  const label = owner.type === 'histogram' ? 'le' : 'quantile';
  const bound = Object.hasOwn(labels, label) ? labels[label] : undefined;
  if (bound === undefined) {
    return {
      reason: `missing_${label}`,
      message: `${owner.type} sample ${clip(name)} has no "${label}" label`,
    };
  }
  if (!isFloatLabel(bound)) {
    return { reason: `invalid_${label}`, message: `"${label}" label ${clip(bound)} is not a float` };
  }
  return null;
}

function isFloatLabel(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed === '') return false;
  const lower = trimmed.toLowerCase();
  if (lower === 'nan' || lower === '+inf' || lower === '-inf' || lower === 'inf') return true;
  return Number.isFinite(Number(trimmed)) && !/^[+-]?0[xob]/i.test(trimmed);
}
