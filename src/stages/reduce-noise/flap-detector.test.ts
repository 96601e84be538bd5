import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FlapDetector, percentStateChange } from './flap-detector.ts';

describe('flap detection (Nagios weighted percent state change)', () => {
  it('weighs recent changes more than old ones', () => {
    const oldChange = [true, false, ...Array<boolean>(19).fill(false)];
    const newChange = [...Array<boolean>(20).fill(true), false];
    assert.equal(percentStateChange(oldChange), 3.75);
    assert.equal(percentStateChange(newChange), 6.25);
    const alternating = Array.from({ length: 21 }, (_, i) => i % 2 === 0);
    assert.equal(Math.round(percentStateChange(alternating)), 100);
    assert.equal(percentStateChange(Array<boolean>(21).fill(true)), 0);
  });

  it('starts flapping at the high threshold, once', () => {
    const d = new FlapDetector({ high: 20, low: 5, sampleIntervalMs: 60_000 });
    const s = d.initial(false, 0);
    const changes: (string | null)[] = [];
    let state = false;
    for (let i = 1; i <= 8; i++) {
      state = !state;
      changes.push(d.observe(s, state, i * 10_000));
    }
    assert.equal(changes.filter((c) => c === 'started').length, 1);
    assert.equal(changes.indexOf('started'), 4, 'the fifth change crosses 20%');
    assert.ok(s.flapping);
  });

  it('stops only below the low threshold (hysteresis), then can start again', () => {
    const d = new FlapDetector({ high: 20, low: 5, sampleIntervalMs: 60_000 });
    const s = d.initial(false, 0);
    let t = 0;
    let state = false;
    for (let i = 0; i < 10; i++) d.observe(s, (state = !state), (t += 5_000));
    assert.ok(s.flapping);
    // A few quiet minutes: the percent falls but stays above 5%, so it is still flapping.
    assert.equal(d.tick(s, (t += 16 * 60_000)), null);
    assert.ok(d.percent(s) >= 5 && d.percent(s) < 20, `percent ${d.percent(s)}`);
    assert.ok(s.flapping, 'between the thresholds the episode goes on');
    // Long quiet: below 5%, one "stopped".
    assert.equal(d.tick(s, (t += 20 * 60_000)), 'stopped');
    assert.equal(d.tick(s, (t += 60_000)), null);
    for (let i = 0; i < 10; i++) d.observe(s, (state = !state), (t += 5_000));
    assert.ok(s.flapping, 'a new episode');
  });

  it('does not flag a single outage and recovery', () => {
    const d = new FlapDetector();
    const s = d.initial(false, 0);
    assert.equal(d.observe(s, true, 60_000), null);
    assert.equal(d.observe(s, false, 600_000), null);
    assert.ok(!s.flapping);
  });
});
