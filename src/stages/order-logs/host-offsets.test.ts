import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HostOffsets } from './host-offsets.ts';
import { messageSample, rpcSample } from './offset-sample.ts';

const OPTIONS = { windowMs: 60_000, stepConfirmations: 3, toleranceMs: 0.5, refreshMs: 0 };
const TRUE: Record<string, number> = { a: 150, b: -40, c: 10, d: -120 };

function call(offsets: HostOffsets, client: string, server: string, t: number): void {
  const sample = rpcSample(
    client,
    server,
    { start: t + (TRUE[client] ?? 0), end: t + 3 + (TRUE[client] ?? 0), precision: 0 },
    { start: t + 1 + (TRUE[server] ?? 0), end: t + 2 + (TRUE[server] ?? 0), precision: 0 },
  );
  if (sample) offsets.add(sample);
}

function offsetOf(offsets: HostOffsets, host: string): number {
  return offsets.view().find((v) => v.host === host)?.offsetMs ?? NaN;
}

describe('host offsets from pairs', () => {
  it('solves every connected host, relative to each other', () => {
    const offsets = new HostOffsets(OPTIONS);
    for (let t = 0; t < 1_000; t += 10) {
      call(offsets, 'a', 'b', t);
      call(offsets, 'b', 'c', t);
    }
    offsets.refresh(0, true);
    assert.ok(Math.abs(offsetOf(offsets, 'a') - offsetOf(offsets, 'b') - (150 - -40)) < 1e-6);
    assert.ok(Math.abs(offsetOf(offsets, 'c') - offsetOf(offsets, 'b') - (10 - -40)) < 1e-6);
    assert.equal(offsets.offsetAt('z', 0), null, 'a host exchanging nothing has no offset');
  });

  it('keeps the hosts it knows where they were when another one joins', () => {
    const offsets = new HostOffsets(OPTIONS);
    for (let t = 0; t < 1_000; t += 10) call(offsets, 'a', 'b', t);
    offsets.refresh(0, true);
    const before = offsetOf(offsets, 'a');
    for (let t = 1_000; t < 2_000; t += 10) call(offsets, 'b', 'd', t);
    offsets.refresh(1, true);
    assert.ok(Math.abs(offsetOf(offsets, 'a') - before) < 0.1, 'a joining host does not move the others');
    assert.ok(Math.abs(offsetOf(offsets, 'd') - offsetOf(offsets, 'a') - (-120 - 150)) < 1e-6);
  });

  it('places a host that only consumes messages by the tightest bound', () => {
    const offsets = new HostOffsets(OPTIONS);
    for (let t = 0; t < 1_000; t += 10) {
      call(offsets, 'a', 'b', t);
      const sample = messageSample('a', 'c', t + 150, t + 0.01 + 10, 0);
      if (sample) offsets.add(sample);
    }
    offsets.refresh(0, true);
    const c = offsets.offsetAt('c', 0);
    assert.ok(c && !Number.isFinite(c.errorMs));
    assert.ok(Math.abs(offsetOf(offsets, 'c') - offsetOf(offsets, 'a') - (10 - 150)) < 0.1);
  });
});
