import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { InvalidStateArgument, StateKindMismatch } from '../../src/state/errors.ts';
import type { StateBackend, StateStore } from '../../src/state/state-store.ts';
import { stateStoreDataConformance } from './state-store-data.conformance.ts';
import { stateStoreRaceConformance } from './state-store-races.conformance.ts';

/** What a backend gives the suite: a fresh, empty state per test, seen through two clients. */
export interface StateStoreHarness {
  store: StateBackend;
  /** A second client of the same state: its own connection wherever the backend has connections. */
  other: StateStore;
  /** Lets `ms` pass for expiry: a real wait, or the advance of an injected clock. */
  elapse(ms: number): Promise<void>;
  close(): Promise<void>;
}

export type OpenStateHarness = () => Promise<StateStoreHarness>;

/**
 * The state-store contract (src/state/state-store.ts), the same assertions for every backend.
 * `open` is called before each test and must return an empty state. TTLs are short (150-600 ms); a check
 * that a key is still there runs at least 200 ms before its expiry (a slow machine only delays checks, so
 * checks that a key is gone need no such margin).
 */
export function stateStoreConformance(
  name: string,
  open: OpenStateHarness,
  options: { skip?: string | false } = {},
): void {
  describe(`StateStore conformance: ${name}`, { skip: options.skip ?? false }, () => {
    let h: StateStoreHarness;
    const s = (): StateBackend => h.store;

    before(async () => {
      h = await open();
    });
    beforeEach(async () => {
      await h.close();
      h = await open();
    });
    after(async () => {
      await h.close();
    });

    it('answers ping and reads nothing from keys never written', async () => {
      await s().ping();
      assert.equal(await s().get('absent'), null);
      assert.deepEqual(await s().hgetall('absent'), {});
      assert.deepEqual(await s().smembers('absent'), []);
      assert.equal(await s().del('absent'), false);
    });

    it('compareAndSet writes only over the expected value; null means absent, "" is a value', async () => {
      assert.equal(await s().compareAndSet('reg', 'x', 'a'), false);
      assert.equal(await s().compareAndSet('reg', null, 'a'), true);
      assert.equal(await s().compareAndSet('reg', null, 'b'), false);
      assert.equal(await s().compareAndSet('reg', 'b', 'c'), false);
      assert.equal(await s().compareAndSet('reg', 'a', ''), true);
      assert.equal(await s().get('reg'), '');
      assert.equal(await s().compareAndSet('reg', null, 'd'), false);
      assert.equal(await s().compareAndSet('reg', '', 'e'), true);
      assert.equal(await s().get('reg'), 'e');
      assert.equal(await s().compareAndSet('absent', '', 'x'), false);
    });

    it('compareAndSet with a TTL expires the value; a later write without TTL never expires', async () => {
      assert.equal(await s().compareAndSet('short', null, 'a', 300), true);
      assert.equal(await s().compareAndSet('kept', null, 'a', 300), true);
      assert.equal(await s().compareAndSet('kept', 'a', 'b'), true);
      assert.equal(await s().get('short'), 'a');
      await h.elapse(450);
      assert.equal(await s().get('short'), null);
      assert.equal(await s().get('kept'), 'b');
      assert.equal(await s().compareAndSet('short', 'a', 'x'), false, 'an expired value is not current');
      assert.equal(await s().compareAndSet('short', null, 'c'), true, 'an expired key is free again');
    });

    it('incr counts from zero; a counter reads as its decimal string', async () => {
      assert.equal(await s().incr('count', 1), 1);
      assert.equal(await s().incr('count', 5), 6);
      assert.equal(await s().incr('count', -10), -4);
      assert.equal(await s().incr('count', 0), -4);
      assert.equal(await s().get('count'), '-4');
      assert.equal(await s().compareAndSet('count', '-4', '40'), true);
      assert.equal(await s().incr('count', 2), 42);
    });

    it('incr with a TTL is a fixed window from the first increment', async () => {
      assert.equal(await s().incr('window', 1, 600), 1);
      await h.elapse(300);
      assert.equal(await s().incr('window', 1, 600), 2, 'a later TTL does not extend the window');
      await h.elapse(400);
      assert.equal(await s().get('window'), null);
      assert.equal(await s().incr('window', 1, 600), 1, 'after expiry a new window starts at zero');
    });

    it('incr refuses non-integers and leaving the safe integer range, changing nothing', async () => {
      await s().compareAndSet('text', null, 'abc');
      await assert.rejects(s().incr('text', 1), StateKindMismatch);
      assert.equal(await s().get('text'), 'abc');
      await assert.rejects(s().incr('n', 1.5), InvalidStateArgument);
      await assert.rejects(s().incr('n', Number.NaN), InvalidStateArgument);
      await s().compareAndSet('big', null, String(Number.MAX_SAFE_INTEGER - 1));
      assert.equal(await s().incr('big', 1), Number.MAX_SAFE_INTEGER);
      await assert.rejects(s().incr('big', 1), InvalidStateArgument);
      assert.equal(await s().get('big'), String(Number.MAX_SAFE_INTEGER));
    });

    it('hset merges fields and hgetall returns them all; an empty hset creates nothing', async () => {
      await s().hset('entry', { a: '1', b: '2' });
      await s().hset('entry', { b: '3', c: '' });
      assert.deepEqual(await s().hgetall('entry'), { a: '1', b: '3', c: '' });
      await s().hset('entry', {});
      await s().hset('never', {}, 1000);
      assert.deepEqual(await s().hgetall('entry'), { a: '1', b: '3', c: '' });
      assert.equal(await s().del('never'), false);
    });

    it('a hash expires whole; hset with a TTL refreshes it, hset without keeps it', async () => {
      await s().hset('nflog', { a: '1' }, 600);
      await h.elapse(300);
      await s().hset('nflog', { b: '2' }, 600); // now expires 600 ms from here
      await h.elapse(150);
      await s().hset('nflog', { c: '3' }); // keeps that expiry
      await h.elapse(200); // past the first expiry, before the refreshed one
      assert.deepEqual(await s().hgetall('nflog'), { a: '1', b: '2', c: '3' });
      await h.elapse(400);
      assert.deepEqual(await s().hgetall('nflog'), {});
      await s().hset('nflog', { d: '4' });
      assert.deepEqual(await s().hgetall('nflog'), { d: '4' }, 'fields of the expired hash are gone');
    });

    it('sadd counts new members once and smembers returns the set', async () => {
      assert.equal(await s().sadd('group', ['a', 'b', 'a']), 2);
      assert.equal(await s().sadd('group', ['b', 'c', '']), 2);
      assert.deepEqual((await s().smembers('group')).sort(), ['', 'a', 'b', 'c']);
      assert.equal(await s().sadd('group', []), 0);
      assert.equal(await s().sadd('never', [], 1000), 0);
      assert.equal(await s().del('never'), false);
    });

    it('a set expires whole and starts afresh', async () => {
      assert.equal(await s().sadd('symptoms', ['a', 'b'], 150), 2);
      await h.elapse(300);
      assert.deepEqual(await s().smembers('symptoms'), []);
      assert.equal(await s().sadd('symptoms', ['a']), 1);
      assert.deepEqual(await s().smembers('symptoms'), ['a']);
    });

    it('del removes a key of any kind, once', async () => {
      await s().compareAndSet('str', null, 'v');
      await s().incr('ctr', 3);
      await s().hset('hash', { f: 'v' });
      await s().sadd('set', ['m']);
      for (const key of ['str', 'ctr', 'hash', 'set']) {
        assert.equal(await s().del(key), true, key);
        assert.equal(await s().del(key), false, key);
      }
      assert.equal(await s().get('str'), null);
      assert.deepEqual(await s().hgetall('hash'), {});
      assert.deepEqual(await s().smembers('set'), []);
      await s().compareAndSet('gone', null, 'v', 150);
      await h.elapse(300);
      assert.equal(await s().del('gone'), false, 'an expired key does not count as deleted');
    });

    it('claim: the first owner wins until the TTL; its retries are idempotent and renew the lease', async () => {
      assert.deepEqual(await s().claim('lease', 'A', 600), { claimed: true, owner: 'A' });
      assert.deepEqual(await s().claim('lease', 'B', 600), { claimed: false, owner: 'A' });
      assert.deepEqual(await h.other.claim('lease', 'B', 600), { claimed: false, owner: 'A' });
      assert.deepEqual(await h.other.claim('lease', 'A', 600), { claimed: true, owner: 'A' });
      await h.elapse(300);
      assert.deepEqual(await s().claim('lease', 'A', 600), { claimed: true, owner: 'A' }); // renewed
      await h.elapse(400); // past the first lease, before the renewed one
      assert.deepEqual(await s().claim('lease', 'B', 600), { claimed: false, owner: 'A' }, 'renewal held');
      await h.elapse(400);
      assert.deepEqual(await s().claim('lease', 'B', 600), { claimed: true, owner: 'B' }, 'expired: B wins');
      assert.equal(await s().get('lease'), 'B');
    });

    it('recordOnce keeps the first record, value and expiry; after expiry it records again', async () => {
      assert.equal(await s().recordOnce('sent', 'first'), true);
      assert.equal(await h.other.recordOnce('sent', 'second'), false);
      assert.equal(await s().get('sent'), 'first');
      assert.equal(await s().recordOnce('empty', ''), true);
      assert.equal(await s().recordOnce('empty', 'x'), false, 'the empty string is a record');
      assert.equal(await s().recordOnce('short', 'x', 300), true);
      assert.equal(await s().recordOnce('short', 'y', 60_000), false);
      await h.elapse(450);
      assert.equal(await s().get('short'), null, 'a losing recordOnce does not extend the expiry');
      assert.equal(await s().recordOnce('short', 'z'), true);
      assert.equal(await s().get('short'), 'z');
    });

    it('an operation on a key of another kind rejects and changes nothing', async () => {
      await s().compareAndSet('str', null, 'v');
      await s().hset('hash', { f: 'v' });
      await s().sadd('set', ['m']);
      const wrongKind: Array<[string, () => Promise<unknown>]> = [
        ['hset on a string', () => s().hset('str', { f: 'x' }, 1000)],
        ['hgetall on a string', () => s().hgetall('str')],
        ['sadd on a string', () => s().sadd('str', ['x'], 1000)],
        ['smembers on a string', () => s().smembers('str')],
        ['incr on a hash', () => s().incr('hash', 1, 1000)],
        ['get on a hash', () => s().get('hash')],
        ['compareAndSet on a hash', () => s().compareAndSet('hash', null, 'x')],
        ['claim on a set', () => s().claim('set', 'A', 1000)],
        ['recordOnce on a hash', () => s().recordOnce('hash', 'x', 1000)],
        ['recordOnce on a set', () => s().recordOnce('set', 'x')],
        ['sadd on a hash', () => s().sadd('hash', ['x'])],
        ['hset on a set', () => s().hset('set', { f: 'x' })],
      ];
      for (const [what, op] of wrongKind) await assert.rejects(op(), StateKindMismatch, what);
      assert.equal(await s().get('str'), 'v');
      assert.deepEqual(await s().hgetall('hash'), { f: 'v' });
      assert.deepEqual(await s().smembers('set'), ['m']);
    });

    it('rejects invalid arguments before touching the state', async () => {
      const invalid: Array<[string, () => Promise<unknown>]> = [
        ['empty key', () => s().get('')],
        ['empty owner', () => s().claim('k', '', 1000)],
        ['zero TTL', () => s().recordOnce('k', 'v', 0)],
        ['negative TTL', () => s().compareAndSet('k', null, 'v', -5)],
        ['fractional TTL', () => s().claim('k', 'A', 1.5)],
        ['NaN TTL', () => s().hset('k', { f: 'v' }, Number.NaN)],
        ['lone surrogate in a key', () => s().get('bad\uD800key')],
        ['lone surrogate in a value', () => s().recordOnce('k', '\uDC00')],
        ['lone surrogate in a member', () => s().sadd('k', ['ok', '\uD83D'])],
        ['lone surrogate in a field', () => s().hset('k', { '\uDFFF': 'v' })],
      ];
      for (const [what, op] of invalid) await assert.rejects(op(), InvalidStateArgument, what);
      assert.equal(await s().get('k'), null);
    });

    stateStoreRaceConformance(() => h);
    stateStoreDataConformance(() => h);
  });
}
