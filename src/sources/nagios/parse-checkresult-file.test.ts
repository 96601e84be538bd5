import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFixture, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { parseCheckResultFile } from './parse-checkresult-file.ts';

const ctx = { receivedAt: '2026-01-02T03:04:05.000000000Z' };

describe(
  'parseCheckResultFile on checkresult-spool-file-constructed.txt',
  { skip: skipWithoutFixtures },
  () => {
    it('reads the NRDP spool file: host, service, return code, start time, escaped output', () => {
      const { events, rejections } = parseCheckResultFile(
        readFixture('nagios', 'checkresult-spool-file-constructed.txt'),
        ctx,
      );
      assert.deepEqual(rejections, []);
      assert.equal(events.length, 1);
      const [event] = events;
      assert.deepEqual(
        [
          event?.checkHost,
          event?.checkService,
          event?.status,
          event?.timestamp,
          event?.time,
          event?.output,
          event?.longOutput,
        ],
        [
          'somehost',
          'someservice',
          1,
          '1242341791.0',
          '2009-05-14T22:56:31.000000000Z',
          'WARNING: Danger Will Robinson!',
          '',
        ],
      );
      assert.deepEqual(event?.perfdata, [
        { label: 'perfdata', value: 1, unit: '', warn: null, crit: null, min: null, max: null },
      ]);
      assert.equal(event?.attributes.checkType, 'passive');
      assert.equal(event?.attributes.earlyTimeout, true);
      assert.equal(event?.attributes.exitedOk, true);
    });
  },
);

describe('parseCheckResultFile', () => {
  it('splits results that repeat host_name and rejects the bad one with its line', () => {
    const text = [
      'host_name=a',
      'start_time=1700000000.5',
      'return_code=0',
      'output=fine\\nlong | x=1',
      'host_name=b',
      'service_description=svc',
      'return_code=9',
      'output=?',
    ].join('\n');
    const { events, rejections } = parseCheckResultFile(text, ctx);
    assert.deepEqual(
      events.map((e) => [e.checkHost, e.checkService, e.time, e.output, e.longOutput]),
      [['a', null, '2023-11-14T22:13:20.500000000Z', 'fine', 'long']],
    );
    assert.deepEqual(
      rejections.map((r) => [r.location, r.reason]),
      [['line 5', 'bad-return-code']],
    );
  });
});
