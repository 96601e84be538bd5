import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePerfNumber, parseThresholdRange, rangeAlerts } from './parse-threshold-range.ts';

describe('parseThresholdRange', () => {
  it('reads every form the plugin guidelines list', () => {
    assert.deepEqual(parseThresholdRange('10'), { start: 0, end: 10, inside: false });
    assert.deepEqual(parseThresholdRange('10:'), { start: 10, end: null, inside: false });
    assert.deepEqual(parseThresholdRange('~:10'), { start: null, end: 10, inside: false });
    assert.deepEqual(parseThresholdRange('10:20'), { start: 10, end: 20, inside: false });
    assert.deepEqual(parseThresholdRange('@10:20'), { start: 10, end: 20, inside: true });
    assert.deepEqual(parseThresholdRange('-2:'), { start: -2, end: null, inside: false });
    assert.deepEqual(parseThresholdRange('@-6.5:~'), null, '~ is only a start bound');
    assert.deepEqual(parseThresholdRange('@-6.5:'), { start: -6.5, end: null, inside: true });
    assert.deepEqual(parseThresholdRange(':10'), { start: 0, end: 10, inside: false });
    assert.deepEqual(parseThresholdRange('3000.000000'), { start: 0, end: 3000, inside: false });
    assert.deepEqual(parseThresholdRange('1e3:2E3'), { start: 1000, end: 2000, inside: false });
  });

  it('refuses what is not a range', () => {
    for (const bad of [
      '',
      '@',
      '~',
      'abc',
      '10:5',
      '1:2:3',
      '10%',
      '1e400',
      '@@1',
      ' : x',
      '1'.repeat(200),
    ]) {
      assert.equal(parseThresholdRange(bad), null, bad);
    }
  });

  it('alerts outside a plain range and inside an @ range, as check_* plugins do', () => {
    const warn = parseThresholdRange('10');
    const inside = parseThresholdRange('@10:20');
    assert.ok(warn && inside);
    assert.equal(rangeAlerts(warn, 5), false);
    assert.equal(rangeAlerts(warn, 11), true);
    assert.equal(rangeAlerts(warn, -1), true);
    assert.equal(rangeAlerts(inside, 15), true);
    assert.equal(rangeAlerts(inside, 25), false);
  });

  it('reads perfdata numbers strictly', () => {
    assert.equal(parsePerfNumber('0.000000'), 0);
    assert.equal(parsePerfNumber('-1.5e2'), -150);
    assert.equal(parsePerfNumber('0x10'), null);
    assert.equal(parsePerfNumber('Infinity'), null);
    assert.equal(parsePerfNumber('1e999'), null);
  });
});
