import type { OffsetSample } from './offset-sample.ts';

/** The final keys of a span (text form), as one replica publishes them for the others. */
export interface SharedSpanKeys {
  /**
   * `span\0<traceId>\0<spanId>` (see `spanRef`), or `child\0<traceId>\0<parentSpanId>` for a server
   * span published for its client span (see `childRef`).
   */
  ref: string;
  startKey: string;
  endKey: string | null;
}

/**
 * What replicas consuming different partitions share so their keys agree (distributed mode): keys of
 * spans that events in other partitions follow (a server span whose client span is elsewhere), and the
 * clock-offset samples each replica observes, so every replica estimates the same host offsets.
 * Owned by the ordering stage; in memory here, Redis in the distributed deployment.
 *
 * Contract (both implementations): published keys are visible to every replica's lookups until they
 * expire (at least a few minutes); a lookup returns only refs that were published; `exchangeOffsetSamples`
 * returns, in order and exactly once per cursor, the samples added by other replicas after `cursor`
 * ('' = all still retained), with the cursor to pass next time.
 */
export interface OrderingSharedState {
  publishSpanKeys(keys: readonly SharedSpanKeys[]): Promise<void>;
  lookupSpanKeys(refs: readonly string[]): Promise<ReadonlyMap<string, SharedSpanKeys>>;
  exchangeOffsetSamples(
    replica: string,
    samples: readonly OffsetSample[],
    cursor: string,
  ): Promise<{ samples: OffsetSample[]; cursor: string }>;
}
