import assert from 'node:assert/strict';
import { it } from 'node:test';
import { checkStateKey, type CheckState, type CheckStateStore } from './check-state-store.ts';

const STATE: CheckState = {
  status: 2,
  stateType: 'SOFT',
  attempt: 2,
  lastHardStatus: 0,
  hostProblemAtLastCheck: false,
  lastCheckTime: '2026-01-02T03:04:05.000000000Z',
  lastEventId: 'abc',
  lastOutcome: { stateType: 'SOFT', attempt: 2, maxAttempts: 3, hardStateChange: false },
};

/** The contract every `CheckStateStore` must meet; call inside a `describe` with a fresh-store factory. */
export function checkStateStoreConformance(
  makeStore: () => Promise<CheckStateStore> | CheckStateStore,
): void {
  it('returns undefined for a key never set', async () => {
    const store = await makeStore();
    assert.equal(await store.get(checkStateKey('nobody', null)), undefined);
  });

  it('returns what was set, per key, and the last set wins', async () => {
    const store = await makeStore();
    const host = checkStateKey('h', null);
    const service = checkStateKey('h', 'svc');
    await store.set(host, { ...STATE, status: 1 });
    await store.set(service, STATE);
    await store.set(service, { ...STATE, attempt: 3 });
    assert.deepEqual(await store.get(host), { ...STATE, status: 1 });
    assert.deepEqual(await store.get(service), { ...STATE, attempt: 3 });
  });

  it('does not share objects with the caller', async () => {
    const store = await makeStore();
    const key = checkStateKey('h', 's');
    const mine = structuredClone(STATE);
    await store.set(key, mine);
    mine.attempt = 99;
    mine.lastOutcome.attempt = 99;
    const got = await store.get(key);
    assert.deepEqual(got, STATE);
    if (got) got.status = 0;
    assert.deepEqual(await store.get(key), STATE);
  });

  it('keeps host and service keys apart even for odd names', async () => {
    assert.notEqual(checkStateKey('a', null), checkStateKey('a', ''));
    assert.notEqual(checkStateKey('a;b', 'c'), checkStateKey('a', 'b;c'));
  });
}
