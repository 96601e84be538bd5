import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStateStore } from './memory-state-store.ts';

describe('MemoryStateStore with an injected clock', () => {
  it('expires a key exactly ttlMs after the write', async () => {
    let now = 0;
    const store = new MemoryStateStore({ now: () => now });
    assert.deepEqual(await store.claim('lease', 'A', 1000), { claimed: true, owner: 'A' });
    now = 999;
    assert.deepEqual(await store.claim('lease', 'B', 1000), { claimed: false, owner: 'A' });
    now = 1000;
    assert.deepEqual(await store.claim('lease', 'B', 1000), { claimed: true, owner: 'B' });
  });

  it('sweepExpired forgets expired keys of every kind and keeps the rest', async () => {
    let now = 0;
    const store = new MemoryStateStore({ now: () => now });
    await store.recordOnce('r', 'v', 10);
    await store.hset('h', { f: 'v' }, 10);
    await store.sadd('s', ['m'], 10);
    await store.incr('kept', 1);
    now = 10;
    assert.equal(await store.sweepExpired(), 3);
    assert.equal(await store.get('kept'), '1');
    assert.equal(await store.sweepExpired(), 0);
  });
});
