import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';

/** Deeper than this (flow brackets, or block indentation in columns / 2) is refused before parsing. */
export const MAX_YAML_NESTING = 64;
/** At most this many YAML syntax errors are listed per file: one broken file must not flood the output. */
const MAX_SYNTAX_ERRORS = 10;

export interface ParsedYaml {
  /** The document as plain data; `undefined` when there were problems. */
  value: unknown;
  /** Every problem, each `<origin>:<line>: <what>`. */
  problems: string[];
  /** The line (1-based) of the node at a schema path, or of the key `key` in the mapping there. */
  lineOf(path: readonly PropertyKey[], key?: string): number | null;
}

/**
 * Parses a configuration file (rules, alertmanager.yml) without letting hostile text hurt the process:
 * nesting is bounded before the parser recurses (the yaml parser overflows the stack past a few hundred
 * levels, and at some depths V8 aborts the process instead of throwing), aliases are bounded (a "billion
 * laughs" document is refused), and syntax errors are capped. Never throws for bad input.
 */
export function parseConfigYaml(text: string, origin: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const nowhere: ParsedYaml = { value: undefined, problems: [], lineOf: () => null };
  const deep = tooDeepAt(text);
  if (deep !== null) {
    nowhere.problems.push(
      `${origin}:${deep}: nested deeper than ${MAX_YAML_NESTING} levels: refused (a rule or route file never needs that; check for unbalanced [ or {)`,
    );
    return nowhere;
  }
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (doc.errors.length > 0) {
    const shown = doc.errors.slice(0, MAX_SYNTAX_ERRORS).map((e) => {
      const line = e.linePos?.[0].line ?? lineCounter.linePos(e.pos[0]).line;
      return `${origin}:${line}: invalid YAML: ${e.message.split('\n')[0]}`;
    });
    if (doc.errors.length > MAX_SYNTAX_ERRORS)
      shown.push(`${origin}: ... and ${doc.errors.length - MAX_SYNTAX_ERRORS} more YAML errors`);
    nowhere.problems.push(...shown);
    return nowhere;
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (err) {
    // `yaml` throws (not reports) when aliases expand too far.
    nowhere.problems.push(
      `${origin}: refused: ${err instanceof Error ? err.message : String(err)} (too many aliases; write the values out)`,
    );
    return nowhere;
  }
  return { value, problems: [], lineOf: (path, key) => lineOfPath(doc, lineCounter, path, key) };
}

function lineOfPath(
  doc: Document,
  lines: LineCounter,
  path: readonly PropertyKey[],
  key?: string,
): number | null {
  // Walk up from the full path until a node exists (a missing field points at its parent).
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (!node || typeof node !== 'object' || !('range' in node)) continue;
    if (key !== undefined && n === path.length && isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
      const range = pair && isScalar(pair.key) ? pair.key.range : null;
      if (range) return lines.linePos(range[0]).line;
    }
    const range = (node as { range?: [number, number, number] | null }).range;
    if (range) return lines.linePos(range[0]).line;
  }
  return null;
}

/**
 * The line where nesting first exceeds MAX_YAML_NESTING, or null. Counts open flow brackets outside
 * quotes and comments, and block depth as indentation plus leading `- ` / `? ` indicators. Conservative:
 * it may refuse absurd but valid text, never lets deep text through to the parser.
 */
function tooDeepAt(text: string): number | null {
  let line = 1;
  let flow = 0;
  let quote: '"' | "'" | null = null;
  let comment = false;
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      comment = false;
      lineStart = true;
      indent = 0;
      continue;
    }
    if (comment) continue;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (lineStart) {
      if (c === ' ' || c === '\t') {
        indent++;
        if (indent / 2 > MAX_YAML_NESTING) return line;
        continue;
      }
      if ((c === '-' || c === '?' || c === ':') && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
        indent += 2;
        if (indent / 2 > MAX_YAML_NESTING) return line;
        i++;
        continue;
      }
      lineStart = false;
    }
    const before = i === 0 ? ' ' : (text[i - 1] ?? ' ');
    if (c === '#' && /\s/.test(before)) comment = true;
    else if ((c === '"' || c === "'") && /[\s[{,:]/.test(before)) quote = c;
    else if (c === '[' || c === '{') {
      flow++;
      if (flow > MAX_YAML_NESTING) return line;
    } else if ((c === ']' || c === '}') && flow > 0) flow--;
  }
  return null;
}
