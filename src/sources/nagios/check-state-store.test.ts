import { describe } from 'node:test';
import { InMemoryCheckStateStore } from './check-state-store.ts';
import { checkStateStoreConformance } from './check-state-store.conformance.ts';

describe('InMemoryCheckStateStore', () => {
  checkStateStoreConformance(() => new InMemoryCheckStateStore());
});
