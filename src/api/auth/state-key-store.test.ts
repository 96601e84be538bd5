import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStateStore } from '../../state/memory/memory-state-store.ts';
import { findKey, hashSecret } from './api-keys.ts';
import { StateKeyStore, type LegacyKeySource, type StoredKey } from './state-key-store.ts';

const stored = (name: string, secret: string): StoredKey => ({
  name,
  sha256: hashSecret(secret),
  scopes: ['read', 'ingest'],
  team: 'payments',
  createdAt: '2025-01-01T00:00:00.000000000Z',
  createdBy: 'old-admin',
});

function legacyOf(keys: StoredKey[]): LegacyKeySource & { names(): string[] } {
  const rows = new Map(keys.map((k) => [k.name, k]));
  return {
    list: () => [...rows.values()],
    delete: (name) => rows.delete(name),
    names: () => [...rows.keys()],
  };
}

describe('StateKeyStore start-up', () => {
  it('moves the keys of the embedded database into the shared register, keeping who made them', async () => {
    const state = new MemoryStateStore();
    const first = new StateKeyStore(state);
    await first.start();
    await first.create({ ...stored('taken', 'secret-taken-new') }, 'admin');
    await first.create({ ...stored('same', 'secret-same') }, 'admin');
    await first.shutdown();

    const warnings: unknown[] = [];
    const legacy = legacyOf([
      stored('moved', 'secret-moved'),
      stored('same', 'secret-same'),
      stored('taken', 'secret-taken-old'),
    ]);
    const store = new StateKeyStore(state, {
      legacy,
      logger: { warn: (obj: unknown) => void warnings.push(obj), info: () => undefined },
    });
    await store.start();
    try {
      const moved = (await store.list()).find((k) => k.name === 'moved');
      assert.deepEqual(moved, stored('moved', 'secret-moved'));
      assert.ok(findKey(store.keys(), 'secret-moved'));
      assert.ok(findKey(store.keys(), 'secret-taken-new'));
      assert.equal(findKey(store.keys(), 'secret-taken-old'), null, 'the shared key keeps its name');
      assert.deepEqual(legacy.names(), ['taken'], 'moved and identical keys leave the database');
      assert.deepEqual(warnings, [{ name: 'taken' }]);
    } finally {
      await store.shutdown();
    }
  });

  it('shutdown is idempotent and safe without start', async () => {
    const store = new StateKeyStore(new MemoryStateStore());
    await store.shutdown();
    await store.shutdown();
    assert.deepEqual(store.keys(), []);
  });
});
