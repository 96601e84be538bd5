/** Integer literals with more digits than this may not survive as a JS number (2^53 has 16 digits). */
const MAX_SAFE_DIGITS = 15;

/**
 * JSON.parse, except that integer literals too long to be exact doubles are read as decimal strings:
 * proto3 JSON allows 64-bit integers as numbers, and `1544712660300000001` must not become
 * `1544712660300000000`. Fractions and exponents are left alone. Throws SyntaxError like JSON.parse.
 */
export function parseJsonKeepingBigIntegers(text: string): unknown {
  return JSON.parse(/\d{16}/.test(text) ? quoteBigIntegers(text) : text);
}

function quoteBigIntegers(text: string): string {
  const parts: string[] = [];
  let copiedUpTo = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = skipString(text, i);
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const end = numberEnd(text, i);
      const token = text.slice(i, end);
      if (/^-?\d+$/.test(token) && token.replace('-', '').length > MAX_SAFE_DIGITS) {
        parts.push(text.slice(copiedUpTo, i), `"${token}"`);
        copiedUpTo = end;
      }
      i = end;
      continue;
    }
    i += 1;
  }
  parts.push(text.slice(copiedUpTo));
  return parts.join('');
}

/** Index just after the closing quote of the string starting at `start` (or the end of the text). */
function skipString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i += 2;
    else if (c === 0x22) return i + 1;
    else i += 1;
  }
  return i;
}

function numberEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && /[0-9.eE+-]/.test(text[i] as string)) i += 1;
  return i;
}
