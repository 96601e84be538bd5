import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFixture, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { parseExternalCommands, parseNscaLines } from './parse-passive-lines.ts';

const ctx = { receivedAt: '2026-01-02T03:04:05.000000000Z' };
const PING_PERFDATA = [
  { label: 'rta', value: 5000, unit: 'ms', warn: '3000.000000', crit: '5000.000000', min: 0, max: null },
  { label: 'pl', value: 100, unit: '%', warn: '80', crit: '100', min: 0, max: null },
];

describe('parseExternalCommands on external-commands-constructed.txt', { skip: skipWithoutFixtures }, () => {
  it('reads both check result commands with time, status, output and perfdata', () => {
    const { events } = parseExternalCommands(readFixture('nagios', 'external-commands-constructed.txt'), ctx);
    assert.deepEqual(
      events.map((e) => [
        e.timestamp,
        e.time,
        e.checkHost,
        e.checkService,
        e.status,
        e.output,
        e.attributes.stateName,
      ]),
      [
        [
          '1242341791',
          '2009-05-14T22:56:31.000000000Z',
          'host1',
          'Dummy service',
          0,
          'PROCS OK: 95 processes',
          'OK',
        ],
        [
          '1242341792',
          '2009-05-14T22:56:32.000000000Z',
          'host2',
          'Disk',
          1,
          'WARNING: Danger Will Robinson!',
          'WARNING',
        ],
        [
          '1242341793',
          '2009-05-14T22:56:33.000000000Z',
          'host1',
          null,
          1,
          'PING CRITICAL - Packet loss = 100%',
          'DOWN',
        ],
      ],
    );
    assert.deepEqual(events[0]?.perfdata, [
      { label: 'procs', value: 95, unit: '', warn: null, crit: null, min: 0, max: null },
    ]);
    assert.deepEqual(events[1]?.perfdata, [
      { label: 'perfdata', value: 1, unit: '', warn: null, crit: null, min: null, max: null },
    ]);
    assert.deepEqual(events[2]?.perfdata, PING_PERFDATA);
    for (const event of events) assert.equal(event.attributes.checkType, 'passive');
  });

  it('keeps the non-check command as a rejection with its line', () => {
    const { rejections } = parseExternalCommands(
      readFixture('nagios', 'external-commands-constructed.txt'),
      ctx,
    );
    assert.deepEqual(
      rejections.map((r) => [r.location, r.reason, r.raw]),
      [['line 4', 'unsupported-command', '[1242341794] DISABLE_HOST_NOTIFICATIONS;somehost']],
    );
  });
});

describe('parseNscaLines on nsca-send-input-constructed.tsv', { skip: skipWithoutFixtures }, () => {
  it('reads a service line and a host line, timed at receipt', () => {
    const { events, rejections } = parseNscaLines(
      readFixture('nagios', 'nsca-send-input-constructed.tsv'),
      ctx,
    );
    assert.deepEqual(rejections, []);
    assert.deepEqual(
      events.map((e) => [
        e.checkHost,
        e.checkService,
        e.status,
        e.output,
        e.time,
        e.timestamp,
        e.attributes.nagiosInput,
      ]),
      [
        ['host1', 'Dummy service', 0, 'PROCS OK: 95 processes', ctx.receivedAt, null, 'nsca'],
        ['host1', null, 1, 'PING CRITICAL - Packet loss = 100%', ctx.receivedAt, null, 'nsca'],
      ],
    );
    assert.deepEqual(
      events[0]?.perfdata.map((p) => [p.label, p.value, p.min]),
      [['procs', 95, 0]],
    );
    assert.deepEqual(events[1]?.perfdata, PING_PERFDATA);
  });
});

describe('parseExternalCommands', () => {
  it('keeps semicolons in the output and unescapes multi-line output', () => {
    const line =
      '[1700000000] PROCESS_SERVICE_CHECK_RESULT;h;s;2;CRIT; really\\nsecond line\\nthird | a=1;2;3';
    const [event] = parseExternalCommands(line, ctx).events;
    assert.equal(event?.output, 'CRIT; really');
    assert.equal(event?.longOutput, 'second line\nthird');
    assert.deepEqual(
      event?.perfdata.map((p) => [p.label, p.warn, p.crit]),
      [['a', '2', '3']],
    );
  });

  it('rejects bad return codes, including 3 for hosts, and malformed lines', () => {
    const text = [
      '[1700000000] PROCESS_SERVICE_CHECK_RESULT;h;s;4;out',
      '[1700000000] PROCESS_SERVICE_CHECK_RESULT;h;s;-1;out',
      '[1700000000] PROCESS_HOST_CHECK_RESULT;h;3;out',
      '[1700000000] PROCESS_HOST_CHECK_RESULT;h',
      '[1700000000] PROCESS_SERVICE_CHECK_RESULT;h;;0;out',
      '[1700000000] PROCESS_HOST_CHECK_RESULT; ;0;out',
      'PROCESS_HOST_CHECK_RESULT;h;0;no timestamp',
      '[1700000000] PROCESS_SERVICE_CHECK_RESULT;h;s;3;unknown is fine for services',
    ].join('\n');
    const { events, rejections } = parseExternalCommands(text, ctx);
    assert.deepEqual(
      events.map((e) => e.status),
      [3],
    );
    assert.deepEqual(
      rejections.map((r) => [r.location, r.reason]),
      [
        ['line 1', 'bad-return-code'],
        ['line 2', 'bad-return-code'],
        ['line 3', 'bad-return-code'],
        ['line 4', 'missing-field'],
        ['line 5', 'missing-service'],
        ['line 6', 'missing-host'],
        ['line 7', 'bad-command'],
      ],
    );
  });
});

describe('parseNscaLines', () => {
  it('keeps tabs in service output and collapses empty fields as send_nsca (strtok) does', () => {
    const { events } = parseNscaLines('h\t\tsvc\t2\tout\twith tab\n  h2\t0\tup  \n', ctx);
    assert.deepEqual(
      events.map((e) => [e.checkHost, e.checkService, e.status, e.output]),
      [
        ['h', 'svc', 2, 'out\twith tab'],
        ['h2', null, 0, 'up'],
      ],
    );
  });

  it('honours another delimiter (send_nsca -d)', () => {
    const [event] = parseNscaLines('h;svc;1;warn | x=1', ctx, { delimiter: ';' }).events;
    assert.deepEqual([event?.checkService, event?.status, event?.perfdata[0]?.label], ['svc', 1, 'x']);
  });

  it('rejects lines with too few fields or a bad return code', () => {
    const { rejections } = parseNscaLines('onlyhost\nh\tsvc\tx\toutput\nh\t7\tout', ctx);
    assert.deepEqual(
      rejections.map((r) => [r.location, r.reason]),
      [
        ['line 1', 'missing-field'],
        ['line 2', 'bad-return-code'],
        ['line 3', 'bad-return-code'],
      ],
    );
  });
});
