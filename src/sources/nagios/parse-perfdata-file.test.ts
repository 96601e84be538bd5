import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFixture, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { eventId } from '../../core/event-id.ts';
import { parsePerfdataFile } from './parse-perfdata-file.ts';
import { compileTemplate, type PerfdataFileLayout } from './perfdata-file-layout.ts';

const ctx = { receivedAt: '2026-01-02T03:04:05.000000000Z' };
const at = (epoch: number): string => `${new Date(epoch * 1000).toISOString().slice(0, 19)}.000000000Z`;

describe('parsePerfdataFile on the default-template fixtures', { skip: skipWithoutFixtures }, () => {
  it('reads every service perfdata line with its values', () => {
    const { events, rejections } = parsePerfdataFile(
      readFixture('nagios', 'service-perfdata-constructed.tsv'),
      ctx,
    );
    assert.deepEqual(rejections, []);
    assert.deepEqual(
      events.map((e) => [e.time, e.timestamp, e.checkHost, e.checkService, e.output, e.perfdata.length]),
      [
        [at(1242341791), '1242341791', 'host1', 'Dummy service', 'PROCS OK: 95 processes', 1],
        [
          at(1242341851),
          '1242341851',
          'host1',
          'Procs',
          'VSZ WARNING: 4 warn out of 95 processes [WindowServer, Safari, Mail, Skype]',
          3,
        ],
        [at(1242341911), '1242341911', 'host2', 'Disk', 'DISK OK - free space: / 3326 MB (56%);', 4],
        [at(1242341971), '1242341971', 'host2', 'Generic', '[WARNING] - foobar', 3],
        [at(1242342031), '1242342031', 'host2', 'No perfdata', 'DISK OK - free space: / 3326 MB (56%);', 0],
      ],
    );
    const [first, second, disk, generic, empty] = events;
    assert.deepEqual(first?.perfdata, [
      { label: 'procs', value: 95, unit: '', warn: null, crit: null, min: 0, max: null },
    ]);
    assert.deepEqual(
      second?.perfdata.map((p) => [p.label, p.value]),
      [
        ['procs', 95],
        ['procs_warn', 4],
        ['procs_crit', 0],
      ],
    );
    assert.deepEqual(disk?.perfdata[3], {
      label: '/var/log',
      value: 818,
      unit: 'MB',
      warn: '970',
      crit: '975',
      min: 0,
      max: 980,
    });
    assert.deepEqual(
      generic?.perfdata.map((p) => [p.label, p.value, p.unit]),
      [
        ['foo', 23, 's'],
        ['baz', 1024, 'B'],
        ['floatMe', 1024.1024, ''],
      ],
    );
    assert.equal(empty?.attributes.perfdataRaw, undefined);
    assert.equal(first?.attributes.executionTime, 0.012);
    assert.equal(first?.attributes.latency, 0.104);
    assert.equal(first?.attributes.perfdataFormat, 'default-service');
  });

  it('marks the state unknown, since the default template carries none', () => {
    const { events } = parsePerfdataFile(readFixture('nagios', 'service-perfdata-constructed.tsv'), ctx);
    for (const event of events) {
      assert.equal(event.status, 3);
      assert.equal(event.attributes.stateKnown, false);
      assert.equal(event.stateType, null);
    }
  });

  it('reads every host perfdata line with its values', () => {
    const { events, rejections } = parsePerfdataFile(
      readFixture('nagios', 'host-perfdata-constructed.tsv'),
      ctx,
    );
    assert.deepEqual(rejections, []);
    assert.deepEqual(
      events.map((e) => [e.time, e.checkHost, e.checkService, e.output, e.attributes.executionTime]),
      [
        [at(1242341791), 'host1', null, 'PING CRITICAL - Packet loss = 100%', 4.021],
        [at(1242341851), 'host2', null, 'PING ok - Packet loss = 0%, RTA = 0.80 ms', 0.013],
      ],
    );
    assert.deepEqual(events[0]?.perfdata, [
      { label: 'rta', value: 5000, unit: 'ms', warn: '3000.000000', crit: '5000.000000', min: 0, max: null },
      { label: 'pl', value: 100, unit: '%', warn: '80', crit: '100', min: 0, max: null },
    ]);
    assert.deepEqual(
      events[1]?.perfdata.map((p) => [p.label, p.value, p.unit]),
      [
        ['percent_packet_loss', 0, ''],
        ['rta', 0.8, ''],
      ],
    );
  });

  it('gives deterministic ids and maps the service to the host name by default', () => {
    const [event] = parsePerfdataFile(readFixture('nagios', 'service-perfdata-constructed.tsv'), ctx).events;
    assert.equal(
      event?.id,
      eventId('nagios', 'host1', 'Dummy service', at(1242341791), 'PROCS OK: 95 processes'),
    );
    assert.equal(event?.service, 'host1');
    assert.equal(event?.host, 'host1');
    assert.equal(event?.source, 'nagios');
    assert.equal(event?.kind, 'check');
  });
});

describe('parsePerfdataFile with other templates', () => {
  it('reads PNP4Nagios-style keyed lines whatever the key order, with state and attempts', () => {
    const text = [
      'DATATYPE::SERVICEPERFDATA\tTIMET::1700000000\tHOSTNAME::web01\tSERVICEDESC::HTTP\tSERVICEPERFDATA::time=0.1s;1;2;0\tSERVICECHECKCOMMAND::check_http\tHOSTSTATE::UP\tHOSTSTATETYPE::HARD\tSERVICESTATE::WARNING\tSERVICESTATETYPE::SOFT\tSERVICEATTEMPT::2\tMAXSERVICEATTEMPTS::4\tSERVICEOUTPUT::HTTP WARNING: slow',
      'DATATYPE::HOSTPERFDATA\tHOSTNAME::db01\tTIMET::1700000060\tHOSTPERFDATA::rta=1ms;;;\tHOSTSTATEID::1\tHOSTSTATETYPE::HARD\tHOSTOUTPUT::PING CRITICAL\twith a tab',
    ].join('\n');
    const { events, rejections } = parsePerfdataFile(text, ctx);
    assert.deepEqual(rejections, []);
    const [svc, host] = events;
    assert.deepEqual(
      [
        svc?.checkHost,
        svc?.checkService,
        svc?.status,
        svc?.stateType,
        svc?.attempt,
        svc?.maxAttempts,
        svc?.output,
      ],
      ['web01', 'HTTP', 1, 'SOFT', 2, 4, 'HTTP WARNING: slow'],
    );
    assert.equal(svc?.attributes.checkCommand, 'check_http');
    assert.equal(svc?.attributes.hostState, 'UP');
    assert.equal(svc?.attributes.stateName, 'WARNING');
    assert.deepEqual(svc?.perfdata[0], {
      label: 'time',
      value: 0.1,
      unit: 's',
      warn: '1',
      crit: '2',
      min: 0,
      max: null,
    });
    assert.deepEqual(
      [host?.checkHost, host?.checkService, host?.status, host?.stateType, host?.output, host?.time],
      ['db01', null, 1, 'HARD', 'PING CRITICAL\twith a tab', at(1700000060)],
    );
    assert.equal(host?.attributes.stateName, 'DOWN');
  });

  it('reads the printf formats of process-service-perfdata and process-host-perfdata', () => {
    const text = [
      '1700000000\thost1\tDisk\tCRITICAL\t3\tHARD\t0.051\t0.000\tDISK CRITICAL - / 98%\t/=98%;90;95',
      '1700000001\thost1\tDOWN\t1\tSOFT\t4.021\tPING CRITICAL - Packet loss = 100%\tpl=100%;80;100;0',
    ].join('\n');
    const { events, rejections } = parsePerfdataFile(text, ctx);
    assert.deepEqual(rejections, []);
    assert.deepEqual(
      events.map((e) => [e.checkService, e.status, e.stateType, e.attempt, e.attributes.perfdataFormat]),
      [
        ['Disk', 2, 'HARD', 3, 'process-service-perfdata'],
        [null, 1, 'SOFT', 1, 'process-host-perfdata'],
      ],
    );
  });

  it('tries configured templates first', () => {
    const compiled = compileTemplate(
      'custom',
      '$TIMET$\\t$HOSTNAME$\\t$SERVICEDESC$\\t$SERVICESTATEID$\\t$SERVICEOUTPUT$',
    );
    assert.equal(compiled.kind, 'positional');
    const layouts: PerfdataFileLayout[] = compiled.kind === 'positional' ? [compiled.layout] : [];
    const { events } = parsePerfdataFile('1700000000\th\ts\t2\tbad | not perfdata here', ctx, { layouts });
    assert.deepEqual(
      events.map((e) => [e.checkHost, e.checkService, e.status, e.output]),
      [['h', 's', 2, 'bad | not perfdata here']],
    );
  });

  it('absorbs tabs inside the output column', () => {
    const line = '[SERVICEPERFDATA]\t1700000000\th\ts\t0.1\t0.2\tout\tput\tmore\ta=1';
    const [event] = parsePerfdataFile(line, ctx).events;
    assert.equal(event?.output, 'out\tput\tmore');
    assert.equal(event?.perfdata[0]?.label, 'a');
  });
});

describe('parsePerfdataFile on bad lines', () => {
  it('rejects each bad line with its line number and reason, and keeps the good ones', () => {
    const good = '[SERVICEPERFDATA]\t1700000000\th\ts\t0.1\t0.2\tOK\ta=1';
    const text = [
      good,
      'just some text',
      '[SERVICEPERFDATA]\tyesterday\th\ts\t0.1\t0.2\tOK\ta=1',
      '[SERVICEPERFDATA]\t1700000000\t\ts\t0.1\t0.2\tOK\ta=1',
      '[SERVICEPERFDATA]\t1700000000\th\t \t0.1\t0.2\tOK\ta=1',
      '',
      'DATATYPE::NOPE\tHOSTNAME::h',
      'DATATYPE::SERVICEPERFDATA\tHOSTNAME::h\tSERVICEDESC::s\tSERVICESTATE::MAYBE',
      'DATATYPE::SERVICEPERFDATA\tHOSTNAME::h\tSERVICEDESC::s\tSERVICESTATETYPE::MEDIUM',
      'DATATYPE::HOSTPERFDATA\tHOSTNAME::h\tHOSTATTEMPT::zero',
      good.replace('a=1', 'a=1 broken b=2'),
    ].join('\n');
    const { events, rejections } = parsePerfdataFile(text, ctx, { firstLine: 100 });
    assert.equal(events.length, 2);
    assert.deepEqual(
      events[1]?.perfdata.map((p) => p.label),
      ['a', 'b'],
    );
    assert.deepEqual(
      rejections.map((r) => [r.location, r.reason]),
      [
        ['line 101', 'unknown-layout'],
        ['line 102', 'bad-timestamp'],
        ['line 103', 'missing-host'],
        ['line 104', 'missing-service'],
        ['line 106', 'unknown-datatype'],
        ['line 107', 'bad-state'],
        ['line 108', 'bad-state-type'],
        ['line 109', 'bad-attempt'],
        ['line 110 perfdata item 2', 'perfdata-missing-equals'],
      ],
    );
    for (const r of rejections) {
      assert.equal(r.source, 'nagios');
      assert.ok(r.detail.startsWith(r.location ?? '?'), r.detail);
      assert.ok(r.raw.length > 0);
    }
  });

  it('uses the receive time when the check time is 0 (never checked)', () => {
    const [event] = parsePerfdataFile('0\th\ts\tOK\t1\tHARD\t0\t0\tfine\t', ctx).events;
    assert.equal(event?.time, ctx.receivedAt);
    assert.equal(event?.timestamp, null);
  });
});
