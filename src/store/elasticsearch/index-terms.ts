import { createHash } from 'node:crypto';

/** Longer values are indexed as a digest: well under Lucene's term limit, and a short `_id`. */
const MAX_TERM_CHARS = 512;
/** A lone surrogate (in `u` mode a well-formed pair is one astral code point, not `Cs`). */
const LONE_SURROGATE = /\p{Cs}/u;

function sha256(value: string): string {
  // UTF-16 code units, so a lone surrogate (which UTF-8 would turn into U+FFFD) keeps its identity.
  return createHash('sha256').update(Buffer.from(value, 'utf16le')).digest('hex');
}

/**
 * A value as an indexed keyword term: the value itself, or `sha256:<hex>` when it is long or not
 * well-formed UTF-16 (Elasticsearch would index a lone surrogate as U+FFFD and never match it again).
 * Queries use the same form; readers re-check the real values kept in `_source`, so a digest that
 * happens to equal someone's literal value costs a false candidate, never a wrong answer.
 */
export function termOf(value: string): string {
  return value.length <= MAX_TERM_CHARS && !LONE_SURROGATE.test(value) ? value : `sha256:${sha256(value)}`;
}

/** A deterministic `_id` from the parts that identify a document (64 hex characters). */
export function documentId(parts: readonly (string | null)[]): string {
  return sha256(JSON.stringify(parts));
}
