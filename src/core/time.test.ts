import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { instantFromUnixMillis, instantFromUnixNanos, parseTimestamp, unixNanos } from './time.ts';

describe('parseTimestamp', () => {
  it('keeps 3, 6 and 9 fractional digits', () => {
    assert.equal(parseTimestamp('2015-05-28T23:02:05.350Z'), '2015-05-28T23:02:05.350000000Z');
    assert.equal(parseTimestamp('2015-05-28T23:02:05.350123Z'), '2015-05-28T23:02:05.350123000Z');
    assert.equal(parseTimestamp('2014-09-23T13:49:52.987654321Z'), '2014-09-23T13:49:52.987654321Z');
  });

  it('applies zone offsets and accepts a comma before the fraction', () => {
    assert.equal(parseTimestamp('2014-09-23T12:34:56.789012345-0800'), '2014-09-23T20:34:56.789012345Z');
    assert.equal(parseTimestamp('2014-09-23T13:49:52,987654321Z'), '2014-09-23T13:49:52.987654321Z');
    assert.equal(parseTimestamp('2014-09-23-08:00'), '2014-09-23T08:00:00.000000000Z');
    assert.equal(parseTimestamp('2024-05-14 09:31:07+02'), '2024-05-14T07:31:07.000000000Z');
  });

  it('keeps years 0-99 and exact milliseconds', () => {
    assert.equal(parseTimestamp('0001-01-01T00:00:00Z'), '0001-01-01T00:00:00.000000000Z');
    assert.equal(parseTimestamp('0099-12-31T23:59:59.5Z'), '0099-12-31T23:59:59.500000000Z');
    assert.equal(instantFromUnixMillis(1715678461123), '2024-05-14T09:21:01.123000000Z');
    assert.equal(instantFromUnixMillis(1715678461123.5), '2024-05-14T09:21:01.123500000Z');
  });

  it('rejects impossible dates and non-timestamps', () => {
    for (const bad of [
      '2014-02-30T00:00:00Z',
      '2014-13-01',
      'yesterday',
      '',
      '1'.repeat(100),
      '2014-01-01T25:00Z',
    ]) {
      assert.equal(parseTimestamp(bad), null, bad);
    }
  });

  it('round-trips any instant through unix nanoseconds', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 253402300799999999999n }), (nanos) => {
        const instant = instantFromUnixNanos(nanos);
        assert.ok(instant);
        assert.equal(unixNanos(instant), nanos);
        assert.equal(parseTimestamp(instant), instant);
      }),
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseTimestamp(s)));
  });
});
