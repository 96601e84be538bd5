import { describe } from 'node:test';
import { InMemoryPositionStore } from './position-store.ts';
import { positionStoreConformance } from './position-store.conformance.ts';

describe('InMemoryPositionStore', () => {
  positionStoreConformance(() => new InMemoryPositionStore());
});
