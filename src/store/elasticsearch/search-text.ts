import { createHash } from 'node:crypto';

/**
 * Full-text search with the same results as the SQLite store's FTS5 index (tokenizer `unicode61`), on a
 * distribution that ships no analysis plugin: the tokens are computed here, FTS5's way, and indexed
 * as a space-separated string under the `whitespace` analyzer. A token is a run of letters, digits and
 * private-use characters; case is folded and diacritics are removed from Latin letters.
 */

const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;
const ASCII_ONLY = /^\p{ASCII}*$/u;
const ASCII_TOKEN = /[a-z0-9]+/g;
const LATIN_LETTER = /\p{Script=Latin}/gu;
const MARK = /\p{M}/gu;
/** Words of `q`, as the SQLite store reads them (`ftsMatch`): at most 32. */
const QUERY_WORD = /[\p{L}\p{N}_]+/gu;
const MAX_QUERY_WORDS = 32;

/**
 * Elasticsearch's tokenizers cut tokens at 255 characters, which would let the first 255 characters of
 * a long word match on their own: such words become their head plus a hash of the whole, still one token.
 */
const MAX_TOKEN_CHARS = 200;

/** The FTS5 tokens of `text`, folded. */
export function searchTokens(text: string): string[] {
  const tokens = ASCII_ONLY.test(text)
    ? (text.toLowerCase().match(ASCII_TOKEN) ?? [])
    : (text.match(TOKEN) ?? []).map(fold);
  return tokens.map((token) => (token.length > MAX_TOKEN_CHARS ? shorten(token) : token));
}

/** What goes into the indexed `tributary.text` field. */
export function searchText(message: string): string {
  return searchTokens(message).join(' ');
}

/**
 * One phrase per word of `q` (every phrase must match), or null when nothing can match: no word at all,
 * or a word with no token (FTS5 matches nothing for an empty phrase).
 */
export function searchPhrases(q: string): string[] | null {
  const words = q.match(QUERY_WORD)?.slice(0, MAX_QUERY_WORDS);
  if (!words || words.length === 0) return null;
  const phrases = words.map((word) => searchText(word));
  return phrases.some((phrase) => phrase === '') ? null : phrases;
}

function shorten(token: string): string {
  const hash = createHash('sha256').update(token).digest('base64url').slice(0, 22);
  return `${token.slice(0, MAX_TOKEN_CHARS - 24)}~${hash}`;
}

function fold(token: string): string {
  return token
    .toLowerCase()
    .replace(LATIN_LETTER, (letter) => letter.normalize('NFD').replace(MARK, '').normalize('NFC'));
}
