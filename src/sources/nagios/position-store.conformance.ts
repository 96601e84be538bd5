import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { PositionStore } from './position-store.ts';

/** The contract every `PositionStore` must meet; call inside a `describe` with a fresh-store factory. */
export function positionStoreConformance(makeStore: () => Promise<PositionStore> | PositionStore): void {
  it('returns undefined for a path never saved', async () => {
    const store = await makeStore();
    assert.equal(await store.load('/var/nagios/service-perfdata'), undefined);
  });

  it('returns the last position saved per path', async () => {
    const store = await makeStore();
    await store.save('/a', { inode: '18446744073709551615', offset: 10, line: 1 });
    await store.save('/b', { inode: '2', offset: 20, line: 2 });
    await store.save('/a', { inode: '18446744073709551615', offset: 30, line: 3 });
    assert.deepEqual(await store.load('/a'), { inode: '18446744073709551615', offset: 30, line: 3 });
    assert.deepEqual(await store.load('/b'), { inode: '2', offset: 20, line: 2 });
  });

  it('does not share objects with the caller', async () => {
    const store = await makeStore();
    const mine = { inode: '1', offset: 5, line: 1 };
    await store.save('/a', mine);
    mine.offset = 99;
    const got = await store.load('/a');
    assert.deepEqual(got, { inode: '1', offset: 5, line: 1 });
    if (got) got.offset = 77;
    assert.deepEqual(await store.load('/a'), { inode: '1', offset: 5, line: 1 });
  });
}
