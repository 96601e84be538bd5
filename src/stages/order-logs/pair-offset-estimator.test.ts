import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../simulate/random.ts';
import { rpcSample } from './offset-sample.ts';
import { PairOffsetEstimator } from './pair-offset-estimator.ts';

const OPTIONS = { windowMs: 60_000, stepConfirmations: 3, toleranceMs: 0.5 };

/** An RPC at true time t between a client with offset a and a server with offset b (ms). */
function rpc(
  random: () => number,
  t: number,
  a: number,
  b: number,
): { t: number; lo: number | null; hi: number | null } {
  const there = 0.2 + random() * 2;
  const work = random() * 5;
  const back = 0.2 + random() * 2;
  const sample = rpcSample(
    'a',
    'b',
    { start: t + a, end: t + there + work + back + a, precision: 0.001 },
    { start: t + there + b, end: t + there + work + b, precision: 0.001 },
  );
  assert.ok(sample);
  return sample;
}

describe('clock offset between two hosts, from RPC bounds', () => {
  it('converges on the true difference, inside its shrinking error bound', () => {
    const random = seededRandom(1);
    const estimator = new PairOffsetEstimator(OPTIONS);
    let t = 0;
    for (let i = 0; i < 400; i++, t += 50) estimator.add(rpc(random, t, 120, -35));
    const estimate = estimator.at(t);
    assert.ok(estimate);
    assert.ok(Math.abs(estimate.delta - -155) < 0.1, `delta ${estimate.delta}`);
    assert.ok(estimate.error < 0.2 && Math.abs(estimate.delta + 155) <= estimate.error + 1e-9);
    assert.equal(estimator.steps, 0);
  });

  it('follows a drift (50 ppm between the clocks)', () => {
    const random = seededRandom(2);
    const estimator = new PairOffsetEstimator(OPTIONS);
    let t = 0;
    for (; t < 120_000; t += 20) estimator.add(rpc(random, t, 0, 10 + 50e-6 * t));
    const estimate = estimator.at(t);
    assert.ok(estimate);
    assert.ok(Math.abs(estimate.delta - (10 + 50e-6 * t)) < 0.2, `delta ${estimate.delta}`);
    assert.ok(Math.abs(estimate.slope - 50e-6) < 10e-6, `slope ${estimate.slope}`);
  });

  it('detects an NTP step after a few consistent samples, keeping the old estimate before it', () => {
    const random = seededRandom(3);
    const estimator = new PairOffsetEstimator(OPTIONS);
    let t = 0;
    for (; t < 10_000; t += 20) estimator.add(rpc(random, t, 0, 30));
    const stepAt = t;
    const outcomes = [];
    for (; t < 12_000; t += 20) outcomes.push(estimator.add(rpc(random, t, 0, -10)));
    assert.deepEqual(outcomes.slice(0, 3), ['suspect', 'suspect', 'step']);
    assert.equal(estimator.steps, 1);
    assert.ok(Math.abs((estimator.at(t)?.delta ?? NaN) - -10) < 0.5);
    assert.ok(Math.abs((estimator.at(stepAt - 1_000)?.delta ?? NaN) - 30) < 0.5);
  });

  it('drops a lone contradicting sample as an outlier', () => {
    const random = seededRandom(4);
    const estimator = new PairOffsetEstimator(OPTIONS);
    let t = 0;
    for (; t < 5_000; t += 20) estimator.add(rpc(random, t, 0, 5));
    assert.equal(estimator.add({ t, lo: 500, hi: 501 }), 'suspect');
    for (t += 20; t < 6_000; t += 20) estimator.add(rpc(random, t, 0, 5));
    assert.equal(estimator.steps, 0);
    assert.equal(estimator.outliers, 1);
    assert.ok(Math.abs((estimator.at(t)?.delta ?? NaN) - 5) < 0.5);
  });
});
