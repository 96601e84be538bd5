/**
 * Splits a request body into JSON records, each with its position, without letting one bad record take
 * its neighbours down: a JSON object, a JSON array of objects, or NDJSON (one value per line).
 * Nesting deeper than `maxDepth` is refused before `JSON.parse` sees it.
 */
export interface RecordSlice {
  /** `line N` (NDJSON, 1-based) or `index N` (array, 0-based). */
  location: string;
  raw: string;
  value?: unknown;
  error?: { reason: string; detail: string };
}

export const DEFAULT_MAX_DEPTH = 64;

export function splitJsonRecords(body: string, maxDepth = DEFAULT_MAX_DEPTH): RecordSlice[] {
  const start = firstNonSpace(body);
  if (start === -1) return [];
  const first = body[start];
  if (first === '[') return splitArray(body, maxDepth);
  if (first === '{') {
    // One object (maybe pretty-printed) parses whole; otherwise it is NDJSON, judged line by line.
    const whole = parseOne(body, maxDepth);
    if (!whole.error || !/\n\s*\S/.test(body.trim()))
      return [{ location: 'line 1', raw: body.trim(), ...whole }];
  }
  return splitLines(body, maxDepth);
}

function splitArray(body: string, maxDepth: number): RecordSlice[] {
  const whole = parseOne(body, maxDepth + 1);
  if (whole.error) return [{ location: 'body', raw: body, error: whole.error }];
  return (whole.value as unknown[]).map((value, i) => ({
    location: `index ${i}`,
    raw: safeStringify(value),
    value,
  }));
}

function splitLines(body: string, maxDepth: number): RecordSlice[] {
  const out: RecordSlice[] = [];
  let lineNo = 0;
  let from = 0;
  while (from <= body.length) {
    let to = body.indexOf('\n', from);
    if (to === -1) to = body.length;
    lineNo += 1;
    const line = body.slice(from, to).replace(/\r$/, '');
    if (line.trim() !== '') out.push({ location: `line ${lineNo}`, raw: line, ...parseOne(line, maxDepth) });
    from = to + 1;
  }
  return out;
}

function parseOne(
  text: string,
  maxDepth: number,
): { value?: unknown; error?: { reason: string; detail: string } } {
  let value: unknown;
  try {
    // V8's JSON.parse is iterative: deep input cannot overflow its stack, so depth is checked after it.
    value = JSON.parse(text) as unknown;
  } catch (err) {
    const message = (err as Error).message;
    const pos = /position (\d+)/.exec(message);
    const where = pos ? ` at ${describePosition(text, Number(pos[1]))}` : '';
    const truncated = /Unexpected end of JSON input|Unterminated string/.test(message);
    return {
      error: {
        reason: truncated ? 'truncated_json' : 'invalid_json',
        detail: `${truncated ? 'truncated JSON' : 'invalid JSON'}${where}: ${message.slice(0, 200)}`,
      },
    };
  }
  const deep = mayBeDeeperThan(text, maxDepth) ? depthExceeded(text, maxDepth) : -1;
  if (deep !== -1) {
    return {
      error: {
        reason: 'too_deep',
        detail: `nesting deeper than ${maxDepth} levels at ${describePosition(text, deep)}`,
      },
    };
  }
  return { value };
}

/** Cheap pre-check with native indexOf: fewer opening brackets than the limit cannot nest deeper. */
function mayBeDeeperThan(text: string, maxDepth: number): boolean {
  let count = 0;
  for (const bracket of ['{', '[']) {
    for (let at = text.indexOf(bracket); at !== -1; at = text.indexOf(bracket, at + 1)) {
      if (++count > maxDepth) return true;
    }
  }
  return false;
}

/** Index of the first bracket that goes deeper than `maxDepth`, or -1. Skips string contents. */
export function depthExceeded(text: string, maxDepth: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > maxDepth) return i;
    } else if (c === 125 || c === 93) depth--;
  }
  return -1;
}

function describePosition(text: string, index: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return line > 1 ? `line ${line} column ${index - lineStart + 1}` : `position ${index}`;
}

function firstNonSpace(text: string): number {
  const m = /\S/.exec(text);
  return m ? m.index : -1;
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
