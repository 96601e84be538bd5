import { trace } from '@opentelemetry/api';
import type { ComponentCounters } from '../core/counters.ts';
import type { TributaryEvent } from '../core/event.ts';
import type { EventOrdering, EventStore } from '../store/event-store.ts';

/**
 * The ordering stage as the sink sees it: provisional keys stored with the events, then the newly stored
 * events offered so their final keys follow (src/stages/order-logs/README.md, "after the store").
 */
export interface SinkOrdering {
  provisional(events: readonly TributaryEvent[]): ReadonlyMap<string, EventOrdering>;
  offer(events: readonly TributaryEvent[]): void;
}

/** The last stage: writes a batch to the event store; resolves when durable. */
export function createStoreSink(
  store: EventStore,
  counters: ComponentCounters,
  /** Runs after each durable append (e.g. the service catalog); its failure is counted, not fatal. */
  afterStore: (events: readonly TributaryEvent[]) => Promise<void> = async () => {},
  ordering: SinkOrdering | null = null,
): (events: readonly TributaryEvent[]) => Promise<void> {
  const tracer = trace.getTracer('tributary.store');
  return (events) =>
    tracer.startActiveSpan('store.append', async (span) => {
      span.setAttribute('tributary.events', events.length);
      counters.received(events.length);
      try {
        const result = await store.append(events, ordering?.provisional(events));
        counters.sent(events.length);
        if (ordering) {
          // A redelivered event keeps the key it got the first time; a backend that cannot tell which
          // events are new offers them all (the stage drops exact duplicates it still remembers).
          const fresh = result.storedIds ? new Set(result.storedIds) : null;
          ordering.offer(fresh ? events.filter((e) => fresh.has(e.id)) : events);
        }
        await afterStore(events).catch(() => counters.error());
      } catch (err) {
        counters.error();
        span.recordException(err as Error);
        throw err;
      } finally {
        span.end();
      }
    });
}
