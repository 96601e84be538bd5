import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Watermarks } from './watermarks.ts';

const OPTIONS = {
  minLatenessMs: 10,
  maxLatenessMs: 500,
  latenessHalfLifeMs: 1_000,
  idleMinMs: 200,
  idleMaxMs: 1_000,
  maxStreamLagMs: 10_000,
  forgetAfterMs: 60_000,
};

describe('watermarks', () => {
  it('release up to the slowest active stream minus its lateness, never moving back', () => {
    const w = new Watermarks(OPTIONS);
    w.observe('fast', 1_000, 0);
    w.observe('slow', 400, 0);
    assert.equal(w.release(0), 390);
    w.observe('slow', 900, 10);
    assert.equal(w.release(10), 890);
    w.observe('new', 100, 20);
    assert.equal(w.release(20), 890, 'a newcomer far behind does not pull it back');
  });

  it('learn lateness from disorder within a stream, and forget it slowly', () => {
    const w = new Watermarks(OPTIONS);
    w.observe('s', 1_000, 0);
    w.observe('s', 700, 0);
    const learnt = w.view(0).find((s) => s.stream === 's')?.latenessMs;
    assert.equal(learnt, 300);
    assert.equal(w.release(0), 700);
    w.observe('s', 5_000, 100);
    w.observe('s', 5_000, 3_000);
    assert.ok(w.release(3_000) > 5_000 - 300, 'lateness decays with a half-life');
  });

  it('do not learn disorder beyond the cap: those events are late, the others go on', () => {
    const w = new Watermarks(OPTIONS);
    w.observe('s', 10_000, 0);
    w.observe('s', 1_000, 0);
    assert.equal(w.release(0), 10_000 - 10);
    assert.equal(w.observe('s', 2_000, 1), true, 'an event behind the release watermark is late');
  });

  it('leave idle streams out, and bring them back when they speak again', () => {
    const w = new Watermarks(OPTIONS);
    w.observe('busy', 1_000, 0);
    w.observe('quiet', 100, 0);
    assert.equal(w.release(0), 90);
    for (let t = 50; t <= 300; t += 50) w.observe('busy', 1_000 + t, t);
    assert.equal(w.release(300), 1_290, 'quiet has been silent longer than its idle timeout');
    assert.ok(w.view(300).find((s) => s.stream === 'quiet')?.idle);
  });

  it('leave out a stream lagging far behind the others (a broken clock)', () => {
    const w = new Watermarks({ ...OPTIONS, maxStreamLagMs: 1_000 });
    w.observe('ok', 50_000, 0);
    w.observe('years-behind', -1e12, 0);
    assert.equal(w.release(0), 50_000 - 10);
    assert.ok(w.view(0).find((s) => s.stream === 'years-behind')?.lagging);
  });

  it('release everything when every stream is idle, and can be forced forward', () => {
    const w = new Watermarks(OPTIONS);
    w.observe('s', 1_000, 0);
    assert.equal(w.release(5_000), Infinity);
    w.forceTo(2_000);
    assert.ok(w.releasedUpTo >= 2_000);
  });
});
