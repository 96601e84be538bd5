import { MemoryStateStore } from '../../src/state/memory/memory-state-store.ts';
import { stateStoreConformance } from './state-store.conformance.ts';

// Time is a manual clock: expiry is exact and the suite does not wait. One instance serves as both
// clients (the memory store is per process; JavaScript runs each method to completion).
stateStoreConformance('memory', async () => {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const store = new MemoryStateStore({ now: () => now });
  await store.start();
  return {
    store,
    other: store,
    elapse: async (ms) => {
      now += ms;
    },
    close: () => store.shutdown(),
  };
});
