import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { StateStoreHarness } from './state-store.conformance.ts';

/** Unicode and control characters, byte for byte: no escaping, trimming or normalisation anywhere. */
export const UNUSUAL_STRINGS: readonly string[] = [
  'ключ',
  '鍵🔑',
  'family 👩‍👩‍👧 emoji',
  'e\u0301 vs \u00e9', // combining accent next to the precomposed letter: not normalised
  'nul \u0000 inside',
  '\u0001\u0002\u001f\u007f\u0080\u00ff',
  '\uFEFFbyte order mark',
  '\uFFFF\uFFFE noncharacters',
  '  leading and trailing spaces\t',
  '\r\n',
  'ÿþ latin-1 lookalike of a BOM',
];

/** Keys that mean something to a glob, a Redis Cluster, RESP, Lua or SQL: here they are plain data. */
export const HOSTILE_KEYS: readonly string[] = [
  '*',
  '?',
  '[a-z]*',
  '{}',
  '{tag}suffix',
  'a\nb',
  '\r\n*1\r\n$8\r\nFLUSHALL\r\n',
  "]]; redis.call('FLUSHALL') --",
  "return redis.call('DEL', KEYS[1])",
  'KEYS[1]',
  'ARGV[1]',
  "'; DROP TABLE state_entries; --",
  '%',
  '_',
  '\\',
  '"quoted"',
  'tributary:',
];

/** 1 MiB: mixed ASCII, two-byte, three-byte and four-byte UTF-8 so no width is taken for granted. */
function hugeValue(): string {
  const pattern = 'alert-payload;ü€😀\n';
  return pattern.repeat(Math.ceil((1024 * 1024) / pattern.length)).slice(0, 1024 * 1024 - 1) + '!';
}

/** Data part of the state-store conformance suite. Called inside its describe. */
export function stateStoreDataConformance(harness: () => StateStoreHarness): void {
  const s = () => harness().store;

  it('keeps unicode and control characters in keys, values, fields and members byte for byte', async () => {
    for (const [i, text] of UNUSUAL_STRINGS.entries()) {
      assert.equal(await s().compareAndSet(text, null, `${text}|${i}`), true, JSON.stringify(text));
    }
    await s().hset('fields', Object.fromEntries(UNUSUAL_STRINGS.map((t) => [t, t])));
    assert.equal(await s().sadd('members', UNUSUAL_STRINGS), UNUSUAL_STRINGS.length);
    for (const [i, text] of UNUSUAL_STRINGS.entries()) {
      assert.equal(await harness().other.get(text), `${text}|${i}`, JSON.stringify(text));
    }
    assert.deepEqual(
      await harness().other.hgetall('fields'),
      Object.fromEntries(UNUSUAL_STRINGS.map((t) => [t, t])),
    );
    assert.deepEqual((await harness().other.smembers('members')).sort(), [...UNUSUAL_STRINGS].sort());
    assert.equal(await s().get('nul '), null, 'a NUL does not end a key');
    assert.equal(await s().get('e\u0301 vs e\u0301'), null, 'keys are not normalised');
  });

  it('treats glob, cluster, protocol, Lua and SQL lookalikes as plain keys and values', async () => {
    await s().compareAndSet('sentinel', null, 'still here');
    for (const key of HOSTILE_KEYS) {
      assert.equal(await s().recordOnce(key, `value of ${key}`), true, JSON.stringify(key));
    }
    for (const key of HOSTILE_KEYS) {
      assert.equal(await harness().other.get(key), `value of ${key}`, JSON.stringify(key));
      assert.deepEqual(await s().claim(key, 'someone-else', 1000), {
        claimed: false,
        owner: `value of ${key}`,
      });
    }
    await s().hset('hostile-hash', Object.fromEntries(HOSTILE_KEYS.map((k) => [k, k])));
    assert.deepEqual(await s().hgetall('hostile-hash'), Object.fromEntries(HOSTILE_KEYS.map((k) => [k, k])));
    assert.equal(await s().sadd('hostile-set', HOSTILE_KEYS), HOSTILE_KEYS.length);
    assert.deepEqual((await s().smembers('hostile-set')).sort(), [...HOSTILE_KEYS].sort());
    assert.equal(await s().del('*'), true);
    assert.equal(await s().get('*'), null);
    assert.equal(await s().get('sentinel'), 'still here', 'deleting "*" deleted only "*"');
    assert.equal(await s().get('[a-z]*'), 'value of [a-z]*');
    assert.equal(await s().incr('{tag}suffix-counter', 7), 7);
  });

  it('stores 1 MiB values whole in strings, hash fields and set members', async () => {
    const huge = hugeValue();
    assert.equal(await s().compareAndSet('big', null, huge), true);
    assert.equal(await harness().other.get('big'), huge);
    assert.equal(
      await s().compareAndSet('big', huge, 'small'),
      true,
      'a 1 MiB expected value compares whole',
    );
    assert.equal(await s().recordOnce('big-record', huge, 60_000), true);
    assert.equal(await s().recordOnce('big-record', 'x'), false);
    await s().hset('big-hash', { payload: huge, small: 's' });
    assert.equal((await s().hgetall('big-hash')).payload, huge);
    assert.equal(await s().sadd('big-set', [huge, huge.slice(1)]), 2);
    assert.deepEqual((await s().smembers('big-set')).sort(), [huge, huge.slice(1)].sort());
  });

  it('handles hashes and sets of 10,000 entries in one call', async () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `alert-${i}`);
    await s().hset('wide', Object.fromEntries(names.map((n) => [n, n.toUpperCase()])), 60_000);
    const wide = await s().hgetall('wide');
    assert.equal(Object.keys(wide).length, names.length);
    assert.equal(wide['alert-9999'], 'ALERT-9999');
    assert.equal(await s().sadd('many', [...names, ...names], 60_000), names.length);
    assert.equal((await s().smembers('many')).length, names.length);
  });
}
