import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScriptBatcher } from './script-batcher.ts';

const ARGS = ['a', '', '', ''] as const;

/** A fake server: records every call and answers each key with [1, "<key>"]. */
function recording(): { calls: { keys: string[]; cells: string[] }[]; batcher: ScriptBatcher } {
  const calls: { keys: string[]; cells: string[] }[] = [];
  const batcher = new ScriptBatcher(async (keys, cells) => {
    calls.push({ keys: [...keys], cells: [...cells] });
    return keys.flatMap((k) => [1, k]);
  });
  return { calls, batcher };
}

describe('ScriptBatcher', () => {
  it('sends the operations of one tick as one call, in issue order, each answered with its own reply', async () => {
    const { calls, batcher } = recording();
    const replies = await Promise.all([
      batcher.add('get', 'k1', ARGS),
      batcher.add('claim', 'k2', ['owner', '60000', '', '']),
      batcher.add('recordOnce', 'k3', ['v', '0', '', '']),
      batcher.add('compareAndSet', 'k4', ['1', 'old', 'new', '0']),
    ]);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]?.keys, ['k1', 'k2', 'k3', 'k4']);
    assert.deepEqual(calls[0]?.cells, [
      ...['g', 'a', '', '', ''],
      ...['c', 'owner', '60000', '', ''],
      ...['r', 'v', '0', '', ''],
      ...['s', '1', 'old', 'new', '0'],
    ]);
    assert.deepEqual(replies, [
      [1, 'k1'],
      [1, 'k2'],
      [1, 'k3'],
      [1, 'k4'],
    ]);
  });

  it('splits a large tick into calls of at most 128 operations, and separate ticks into separate calls', async () => {
    const { calls, batcher } = recording();
    await Promise.all(Array.from({ length: 300 }, (_, i) => batcher.add('get', `k${i}`, ARGS)));
    assert.deepEqual(
      calls.map((c) => c.keys.length),
      [128, 128, 44],
    );
    assert.equal(calls[2]?.keys[43], 'k299');
    await batcher.add('get', 'later', ARGS);
    assert.equal(calls.length, 4);
  });

  it('flush() writes what is pending at once (before another command), so issue order holds', async () => {
    const { calls, batcher } = recording();
    const pending = batcher.add('claim', 'k', ['o', '1000', '', '']);
    batcher.flush();
    assert.equal(calls.length, 1, 'sent synchronously');
    await pending;
    batcher.flush();
    assert.equal(calls.length, 1, 'nothing pending: no empty call');
  });

  it('a failed call rejects its own operations only; a malformed reply rejects rather than misattributes', async () => {
    let n = 0;
    const batcher = new ScriptBatcher(async (keys) => {
      n += 1;
      if (n === 1) throw new Error('connection lost');
      return keys.length === 1 ? [1] : keys.flatMap((k) => [1, k]);
    });
    const first = Promise.allSettled([batcher.add('get', 'a', ARGS), batcher.add('get', 'b', ARGS)]);
    assert.deepEqual(
      (await first).map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.deepEqual(
      await batcher.add('get', 'c', ARGS).catch((e: Error) => e.message),
      'malformed batch reply (1 cells for 1 keys)',
    );
    assert.deepEqual(await Promise.all([batcher.add('get', 'd', ARGS), batcher.add('get', 'e', ARGS)]), [
      [1, 'd'],
      [1, 'e'],
    ]);
  });
});
