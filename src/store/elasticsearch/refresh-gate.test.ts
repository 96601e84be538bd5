import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RefreshGate } from './refresh-gate.ts';

/** A refresh the test finishes by hand, counting how many were started. */
function manualRefresh() {
  const pending: { resolve: () => void; reject: (err: Error) => void }[] = [];
  return {
    started: () => pending.length,
    finish: (i: number, err?: Error) => (err ? pending[i]?.reject(err) : pending[i]?.resolve()),
    refresh: () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject })),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('RefreshGate', () => {
  it('answers a read with a refresh started after it, shared by the reads that wait meanwhile', async () => {
    const manual = manualRefresh();
    const gate = new RefreshGate(manual.refresh);
    const first = gate.fresh();
    assert.equal(manual.started(), 1);
    let secondDone = false;
    const second = gate.fresh().then(() => (secondDone = true));
    const third = gate.fresh();
    await tick();
    // The running refresh may predate the second read's writes: it waits for the next one.
    assert.equal(manual.started(), 1);
    manual.finish(0);
    await first;
    await tick();
    assert.equal(secondDone, false);
    assert.equal(manual.started(), 2);
    manual.finish(1);
    await Promise.all([second, third]);
    assert.equal(manual.started(), 2);
    const fourth = gate.fresh();
    assert.equal(manual.started(), 3);
    manual.finish(2);
    await fourth;
  });

  it('rejects the reads of a failed refresh, and the next read refreshes again', async () => {
    const manual = manualRefresh();
    const gate = new RefreshGate(manual.refresh);
    const failing = gate.fresh();
    const waiting = gate.fresh();
    manual.finish(0, new Error('cluster unreachable'));
    await assert.rejects(failing, /cluster unreachable/);
    await tick();
    manual.finish(1);
    await waiting;
    const later = gate.fresh();
    assert.equal(manual.started(), 3);
    manual.finish(2);
    await later;
  });
});
