import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { JsonNumber, scaledValue, shiftDecimalPoint } from './exact-number.ts';

describe('scaledValue', () => {
  it('keeps a uint64 counter beyond 2^53 exactly as text', () => {
    assert.deepEqual(scaledValue(new JsonNumber('18446744073709551615')), {
      value: 2 ** 64,
      valueText: '18446744073709551615',
    });
    assert.deepEqual(scaledValue(new JsonNumber('9007199254740993')), {
      value: 9007199254740992,
      valueText: '9007199254740993',
    });
    assert.deepEqual(scaledValue(new JsonNumber('9007199254740991')), { value: 9007199254740991 });
  });

  it('converts nanoseconds to seconds exactly, keeping the exact decimal when the integer was unsafe', () => {
    assert.deepEqual(scaledValue(new JsonNumber('4123456789'), 9), { value: 4.123456789 });
    assert.deepEqual(scaledValue(new JsonNumber('18446744073709551615'), 9), {
      value: Number('18446744073.709551615'),
      valueText: '18446744073.709551615',
    });
    assert.deepEqual(scaledValue(new JsonNumber('1500'), 6), { value: 0.0015 });
    assert.deepEqual(scaledValue(new JsonNumber('0.5'), 0), { value: 0.5 });
  });

  it('scales any integer to the correctly rounded float of the exact quotient', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
        fc.integer({ min: 0, max: 12 }),
        (n, scale) => {
          const text = shiftDecimalPoint(n.toString(), scale);
          const [whole = '', fraction = ''] = text.replace('-', '').split('.');
          const back = BigInt(whole + fraction.padEnd(scale, '0')) * (text.startsWith('-') ? -1n : 1n);
          assert.equal(back, n);
          assert.equal(scaledValue(new JsonNumber(n.toString()), scale).value, Number(text));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('shiftDecimalPoint', () => {
  for (const [text, scale, expected] of [
    ['0', 9, '0'],
    ['1', 9, '0.000000001'],
    ['1000000000', 9, '1'],
    ['1724314000', 9, '1.724314'],
    ['-1', 3, '-0.001'],
    ['007', 0, '7'],
  ] as const) {
    it(`${text} × 10^-${scale} = ${expected}`, () => assert.equal(shiftDecimalPoint(text, scale), expected));
  }
});
