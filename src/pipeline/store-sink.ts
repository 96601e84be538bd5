import { trace } from '@opentelemetry/api';
import type { ComponentCounters } from '../core/counters.ts';
import type { TributaryEvent } from '../core/event.ts';
import type { EventStore } from '../store/event-store.ts';

/** The last stage: writes a batch to the event store; resolves when durable. */
export function createStoreSink(
  store: EventStore,
  counters: ComponentCounters,
  /** Runs after each durable append (e.g. the service catalog); its failure is counted, not fatal. */
  afterStore: (events: readonly TributaryEvent[]) => Promise<void> = async () => {},
): (events: readonly TributaryEvent[]) => Promise<void> {
  const tracer = trace.getTracer('tributary.store');
  return (events) =>
    tracer.startActiveSpan('store.append', async (span) => {
      span.setAttribute('tributary.events', events.length);
      counters.received(events.length);
      try {
        await store.append(events);
        counters.sent(events.length);
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
