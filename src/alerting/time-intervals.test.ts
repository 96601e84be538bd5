import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from './config-error.ts';
import { compileTimeInterval } from './time-intervals.ts';

const at = (iso: string): number => Date.parse(iso);

describe('time intervals (Alertmanager semantics)', () => {
  it('business hours in a time zone: weekdays and [start, end) times', () => {
    const hours = compileTimeInterval(
      [
        {
          weekdays: ['monday:friday'],
          times: [{ start_time: '09:00', end_time: '17:00' }],
          location: 'Europe/Berlin',
        },
      ],
      'x',
    );
    assert.equal(hours(at('2026-01-05T08:00:00Z')), true, 'Monday 09:00 in Berlin');
    assert.equal(hours(at('2026-01-05T07:59:00Z')), false);
    assert.equal(hours(at('2026-01-05T16:00:00Z')), false, 'end is exclusive: 17:00 Berlin');
    assert.equal(hours(at('2026-01-10T10:00:00Z')), false, 'Saturday');
  });

  it('days of month from the end, months by name, years', () => {
    const lastDays = compileTimeInterval(
      [{ days_of_month: ['-2:-1'], months: ['february'], years: ['2026'] }],
      'x',
    );
    assert.equal(lastDays(at('2026-02-27T12:00:00Z')), true);
    assert.equal(lastDays(at('2026-02-28T12:00:00Z')), true);
    assert.equal(lastDays(at('2026-02-26T12:00:00Z')), false);
    assert.equal(lastDays(at('2027-02-28T12:00:00Z')), false);
  });

  it('any of several specs holds', () => {
    const either = compileTimeInterval([{ weekdays: ['saturday'] }, { weekdays: ['sunday'] }], 'x');
    assert.equal(either(at('2026-01-10T00:00:00Z')), true);
    assert.equal(either(at('2026-01-11T23:59:00Z')), true);
    assert.equal(either(at('2026-01-12T00:00:00Z')), false);
  });

  it('refuses bad names, ranges, times and zones', () => {
    for (const spec of [
      { weekdays: ['funday'] },
      { weekdays: ['friday:monday'] },
      { times: [{ start_time: '25:00', end_time: '26:00' }] },
      { times: [{ start_time: '10:00', end_time: '09:00' }] },
      { days_of_month: ['0'] },
      { location: 'Mars/Olympus' },
    ]) {
      assert.throws(() => compileTimeInterval([spec], 'x'), ConfigError, JSON.stringify(spec));
    }
  });
});
