import { InMemoryOrderingState } from '../../src/stages/order-logs/in-memory-shared-state.ts';
import { orderingSharedStateConformance } from './ordering-shared-state.conformance.ts';

// Time is a manual clock: expiry is exact and the suite does not wait. One instance serves both
// replicas (the in-memory state is per process; JavaScript runs each method to completion).
orderingSharedStateConformance('in memory', async ({ spanTtlMs, maxSamples }) => {
  let now = Date.parse('2026-11-24T10:00:00Z');
  const state = new InMemoryOrderingState({ ttlMs: spanTtlMs, maxSamples, now: () => now });
  return {
    one: state,
    other: state,
    elapse: async (ms) => {
      now += ms;
    },
    close: async () => {},
  };
});
