import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { findKey, hashSecret, type ApiKeyRecord } from '../../src/api/auth/api-keys.ts';
import { KEY_REGISTER, StateKeyStore } from '../../src/api/auth/state-key-store.ts';
import type { StateStore } from '../../src/state/state-store.ts';

/** Two clients of one empty state, as two replicas hold (their own connection where there are any). */
export interface KeyStoreHarness {
  states: [StateStore, StateStore];
  close(): Promise<void>;
}

/** Refresh interval of the replicas under test, and the slack a loaded machine gets on top of it. */
const REFRESH_MS = 200;
const SLACK_MS = 400;

const key = (name: string, secret = `secret-of-${name}`): ApiKeyRecord => ({
  name,
  sha256: hashSecret(secret),
  scopes: ['read'],
  team: null,
});

/** Polls until `condition` holds; resolves how long it took, or rejects after `limitMs`. */
async function within(limitMs: number, condition: () => boolean): Promise<number> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > limitMs) throw new Error(`not within ${limitMs} ms`);
    await sleep(5);
  }
  return performance.now() - started;
}

/**
 * The API key store over a state backend (src/api/auth/state-key-store.ts): replicas `a` and `b` are
 * two stores on two clients of the same state.
 */
export function keyStoreConformance(
  name: string,
  open: () => Promise<KeyStoreHarness>,
  options: { skip?: string | false } = {},
): void {
  describe(`API key store conformance: ${name}`, { skip: options.skip ?? false }, () => {
    let h: KeyStoreHarness;
    let a: StateKeyStore;
    let b: StateKeyStore;
    beforeEach(async () => {
      h = await open();
      a = new StateKeyStore(h.states[0], { refreshIntervalMs: REFRESH_MS });
      b = new StateKeyStore(h.states[1], { refreshIntervalMs: REFRESH_MS });
      await Promise.all([a.start(), b.start()]);
    });
    afterEach(async () => {
      await Promise.all([a.shutdown(), b.shutdown()]);
      await h.close();
    });

    it('creates, lists, refuses a taken name, deletes; the replica that changes sees it at once', async () => {
      assert.deepEqual(a.keys(), []);
      assert.equal(await a.create(key('ci-bot'), 'admin-1'), true);
      assert.ok(findKey(a.keys(), 'secret-of-ci-bot'), 'usable as soon as create resolves');
      assert.equal(await a.create(key('ci-bot', 'another-secret'), 'admin-2'), false);
      const [listed, ...rest] = await a.list();
      assert.deepEqual(rest, []);
      assert.equal(listed?.name, 'ci-bot');
      assert.equal(listed?.sha256, hashSecret('secret-of-ci-bot'));
      assert.equal(listed?.createdBy, 'admin-1');
      assert.match(listed?.createdAt ?? '', /^\d{4}-\d{2}-\d{2}T/);
      assert.equal(await a.delete('ci-bot'), true);
      assert.equal(findKey(a.keys(), 'secret-of-ci-bot'), null, 'refused as soon as delete resolves');
      assert.equal(await a.delete('ci-bot'), false);
      assert.deepEqual(await a.list(), []);
    });

    it(`honours a key created on one replica on another within the refresh interval (${REFRESH_MS} ms), and refuses it once deleted`, async (t) => {
      assert.equal(await a.create(key('deploy'), 'admin'), true);
      const seen = await within(REFRESH_MS + SLACK_MS, () => findKey(b.keys(), 'secret-of-deploy') !== null);
      assert.ok(seen <= REFRESH_MS + SLACK_MS, `seen after ${seen} ms`);
      assert.deepEqual(
        (await b.list()).map((k) => k.name),
        ['deploy'],
      );
      assert.equal(await a.delete('deploy'), true);
      const refused = await within(
        REFRESH_MS + SLACK_MS,
        () => findKey(b.keys(), 'secret-of-deploy') === null,
      );
      assert.ok(refused <= REFRESH_MS + SLACK_MS, `refused after ${refused} ms`);
      t.diagnostic(
        `created: honoured after ${Math.round(seen)} ms; deleted: refused after ${Math.round(refused)} ms`,
      );
      // And the other way round, through the other connection.
      assert.equal(await b.create(key('back'), 'admin'), true);
      await within(REFRESH_MS + SLACK_MS, () => findKey(a.keys(), 'secret-of-back') !== null);
    });

    it('lets exactly one of two replicas take a name, whoever races', async () => {
      const attempts = Array.from({ length: 12 }, (_, i) =>
        (i % 2 ? b : a).create(key('shared', `secret-${i}`), `replica-${i % 2}`),
      );
      const outcomes = await Promise.all(attempts);
      assert.equal(outcomes.filter(Boolean).length, 1, JSON.stringify(outcomes));
      const winner = outcomes.indexOf(true);
      for (const store of [a, b]) {
        const listed = await store.list();
        assert.deepEqual(
          listed.map((k) => [k.name, k.sha256]),
          [['shared', hashSecret(`secret-${winner}`)]],
        );
      }
    });

    it('loses no change when both replicas create and delete different keys at once', async () => {
      const names = Array.from({ length: 16 }, (_, i) => `key-${String(i).padStart(2, '0')}`);
      const created = await Promise.all(names.map((n, i) => (i % 2 ? b : a).create(key(n), 'admin')));
      assert.ok(created.every(Boolean));
      assert.deepEqual(
        (await a.list()).map((k) => k.name),
        names,
      );
      const deleted = await Promise.all(
        names.filter((_, i) => i % 4 === 0).map((n, i) => (i % 2 ? a : b).delete(n)),
      );
      assert.ok(deleted.every(Boolean));
      assert.deepEqual(
        (await b.list()).map((k) => k.name),
        names.filter((_, i) => i % 4 !== 0),
      );
    });

    it('a replica that starts later knows every key before it serves', async () => {
      await a.create(key('early'), 'admin');
      const late = new StateKeyStore(h.states[1], { refreshIntervalMs: REFRESH_MS });
      await late.start();
      try {
        assert.ok(findKey(late.keys(), 'secret-of-early'));
      } finally {
        await late.shutdown();
      }
    });

    it('keeps the last keys in force over an unreadable register, and never writes over it', async () => {
      await a.create(key('kept'), 'admin');
      await within(REFRESH_MS + SLACK_MS, () => findKey(b.keys(), 'secret-of-kept') !== null);
      const good = (await h.states[1].get(KEY_REGISTER)) as string;
      assert.equal(await h.states[1].compareAndSet(KEY_REGISTER, good, '{"version":"x"}'), true);
      await assert.rejects(a.create(key('other'), 'admin'), /not valid/);
      await sleep(REFRESH_MS * 2);
      assert.ok(findKey(b.keys(), 'secret-of-kept'), 'a failed refresh keeps the snapshot');
      assert.equal(await h.states[1].get(KEY_REGISTER), '{"version":"x"}');
      assert.equal(await h.states[1].compareAndSet(KEY_REGISTER, '{"version":"x"}', good), true);
      assert.equal(await b.create(key('other'), 'admin'), true);
      await within(REFRESH_MS + SLACK_MS, () => a.keys().length === 2);
    });
  });
}
