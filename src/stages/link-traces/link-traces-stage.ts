import type { TributaryEvent } from '../../core/event.ts';
import { callEndsOfEvent, type CallEnd } from './call-end.ts';
import type { CallEndIndex } from './call-end-index.ts';
import { enrichLogTrace } from './enrich-log-trace.ts';
import { linksOfEvent } from './link-evidence.ts';
import { linkKey, type TraceLink } from './trace-link.ts';
import type { TraceLinkIndex } from './trace-link-index.ts';

/**
 * The link-traces stage. Links are recorded as events are stored and followed when a trace is read
 * (trace-finder.ts): reading them back needs the reverse direction (which traces recorded *this* trace's
 * ids), which a store query by trace id cannot answer.
 */
export interface LinkTracesStage {
  /** Before the store: logs with only MDC ids get the trace context they name (pure, synchronous). */
  enrich(events: readonly TributaryEvent[]): TributaryEvent[];
  /**
   * After a durable append: records the cross-trace links the events carry, and the call ends that may
   * need a heuristic join; resolves when both are recorded.
   */
  onStored(events: readonly TributaryEvent[]): Promise<void>;
}

export interface LinkTracesStageDeps {
  index: TraceLinkIndex;
  ends: CallEndIndex;
}

export function createLinkTracesStage(deps: LinkTracesStageDeps): LinkTracesStage {
  return {
    enrich: (events) => events.map(enrichLogTrace),
    async onStored(events) {
      const links = new Map<string, TraceLink>();
      const ends: CallEnd[] = [];
      for (const event of events) {
        for (const link of linksOfEvent(event)) links.set(linkKey(link), link);
        ends.push(...callEndsOfEvent(event));
      }
      // Independent writes (two round trips to a shared index): in parallel.
      await Promise.all([
        links.size > 0 ? deps.index.add([...links.values()]) : undefined,
        ends.length > 0 ? deps.ends.add(ends) : undefined,
      ]);
    },
  };
}
