import { RE2JS } from 're2js';
import type { LabelSet } from './alert.ts';
import { ConfigError } from './config-error.ts';

export type MatchType = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  name: string;
  type: MatchType;
  value: string;
}

/** A compiled matcher: true when the label set satisfies it (an absent label reads as ""). */
export type LabelPredicate = (labels: LabelSet) => boolean;

/**
 * Regexes come from configs, silences created over the API and rules: they are compiled with RE2
 * (Alertmanager's own syntax, Go regexp) whose matching is linear in the input, so no pattern can
 * backtrack catastrophically. Pattern length is bounded, and so is the part of a log message searched.
 */
export const MAX_PATTERN_LENGTH = 1024;
/** Log messages are searched in their first MAX_SEARCH_LENGTH characters (label values whole). */
export const MAX_SEARCH_LENGTH = 64 * 1024;
const MAX_MATCHER_TEXT = 16 * 1024;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const MATCHER = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|!=|!~|=)\s*([\s\S]*?)\s*$/;

/** Compiles one regex the way Alertmanager does: anchored at both ends. */
export function compileAnchored(pattern: string): (value: string) => boolean {
  const re = compileRegex(pattern, true);
  return (value) => re.matches(value);
}

/** Compiles an unanchored search pattern (log rules): true when it occurs anywhere in the text. */
export function compileSearch(pattern: string): (text: string) => boolean {
  const re = compileRegex(pattern, false);
  return (text) =>
    re.matcher(text.length > MAX_SEARCH_LENGTH ? text.slice(0, MAX_SEARCH_LENGTH) : text).find();
}

function compileRegex(pattern: string, anchored: boolean): RE2JS {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new ConfigError(`regex of ${pattern.length} characters is longer than ${MAX_PATTERN_LENGTH}`);
  }
  try {
    return RE2JS.compile(anchored ? `^(?:${pattern})$` : pattern);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError(`invalid regex ${JSON.stringify(pattern.slice(0, 100))}: ${reason}`);
  }
}

export function matcherPredicate(m: Matcher): LabelPredicate {
  switch (m.type) {
    case '=':
      return (labels) => (labels[m.name] ?? '') === m.value;
    case '!=':
      return (labels) => (labels[m.name] ?? '') !== m.value;
    case '=~': {
      const test = compileAnchored(m.value);
      return (labels) => test(labels[m.name] ?? '');
    }
    case '!~': {
      const test = compileAnchored(m.value);
      return (labels) => !test(labels[m.name] ?? '');
    }
  }
}

/** All matchers must hold (an empty list matches everything). */
export function allOf(matchers: readonly Matcher[]): LabelPredicate {
  const predicates = matchers.map(matcherPredicate);
  return (labels) => predicates.every((p) => p(labels));
}

/**
 * Parses a matcher list as Alertmanager 0.25 reads `matchers:` entries, `amtool` arguments and silence
 * filters: `a="x", b=~"y|z"`, optionally wrapped in `{}`; values may be quoted (with `\"` `\\` `\n`
 * escapes) or bare.
 */
export function parseMatchers(text: string): Matcher[] {
  if (text.length > MAX_MATCHER_TEXT)
    throw new ConfigError(`matcher list longer than ${MAX_MATCHER_TEXT} characters`);
  let body = text.trim();
  if (body.startsWith('{')) {
    if (!body.endsWith('}'))
      throw new ConfigError(`matchers ${JSON.stringify(text.slice(0, 100))}: missing closing "}"`);
    body = body.slice(1, -1);
  }
  return splitOutsideQuotes(body)
    .filter((part) => part.trim() !== '')
    .map(parseMatcher);
}

export function parseMatcher(text: string): Matcher {
  const m = MATCHER.exec(text);
  if (!m)
    throw new ConfigError(
      `bad matcher format: ${JSON.stringify(text.slice(0, 100))} (expected name="value", name=~"regex", name!="value" or name!~"regex")`,
    );
  const [, name = '', type = '=', raw = ''] = m;
  const value = unquote(raw, text);
  const matcher: Matcher = { name, type: type as MatchType, value };
  if (matcher.type === '=~' || matcher.type === '!~') compileAnchored(value);
  return matcher;
}

/** Legacy `match:` / `match_re:` maps. */
export function matchersFromMaps(
  match: Readonly<Record<string, string>> | undefined,
  matchRe: Readonly<Record<string, string>> | undefined,
): Matcher[] {
  const out: Matcher[] = [];
  for (const [name, value] of Object.entries(match ?? {})) out.push(checkName({ name, type: '=', value }));
  for (const [name, value] of Object.entries(matchRe ?? {})) {
    compileAnchored(value);
    out.push(checkName({ name, type: '=~', value }));
  }
  return out;
}

function checkName(m: Matcher): Matcher {
  if (!LABEL_NAME.test(m.name))
    throw new ConfigError(`invalid label name ${JSON.stringify(m.name.slice(0, 100))}`);
  return m;
}

export function formatMatcher(m: Matcher): string {
  return `${m.name}${m.type}${JSON.stringify(m.value)}`;
}

function unquote(raw: string, whole: string): string {
  if (!raw.startsWith('"')) {
    if (raw.includes('"'))
      throw new ConfigError(`bad matcher value in ${JSON.stringify(whole.slice(0, 100))}: stray quote`);
    return raw;
  }
  if (raw.length < 2 || !raw.endsWith('"')) {
    throw new ConfigError(`bad matcher value in ${JSON.stringify(whole.slice(0, 100))}: unterminated quote`);
  }
  let out = '';
  const inner = raw.slice(1, -1);
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '\\' && i + 1 < inner.length) {
      const n = inner[++i];
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
    } else if (c === '"') {
      throw new ConfigError(`bad matcher value in ${JSON.stringify(whole.slice(0, 100))}: unescaped quote`);
    } else out += c;
  }
  return out;
}

function splitOutsideQuotes(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted && c === '\\') {
      current += c + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}
