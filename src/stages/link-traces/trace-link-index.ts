import type { TraceLink } from './trace-link.ts';

/**
 * Where cross-trace links are kept as events are stored, so a trace can be followed to the traces that
 * recorded its ids (the reverse direction a store query by trace id cannot answer).
 * Contract (checked by trace-link-index.conformance.ts):
 * - `add` is idempotent: a link added twice (same `linkKey`) is returned once; when its promise
 *   resolves the links are durable for a durable implementation.
 * - `linksOf` returns every link with one of `traceIds` as its parent or child trace, each once.
 */
export interface TraceLinkIndex {
  add(links: readonly TraceLink[]): Promise<void>;
  linksOf(traceIds: readonly string[]): Promise<TraceLink[]>;
}
