import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFixture, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { detectNagiosFormat, parseNagiosPayload } from './parse-payload.ts';

const ctx = { receivedAt: '2026-01-02T03:04:05.000000000Z' };

describe('parseNagiosPayload on the fixtures', { skip: skipWithoutFixtures }, () => {
  it('detects and parses each fixture by content type or content', () => {
    const cases: [string, string | null, string, number, number][] = [
      ['nrdp-checkresults-example.json', 'application/json; charset=utf-8', 'nrdp-json', 2, 0],
      ['nrdp-checkresults-example.xml', 'text/xml', 'nrdp-xml', 2, 0],
      ['nrdp-checkresults-example.json', null, 'nrdp-json', 2, 0],
      ['nrdp-checkresults-example.xml', null, 'nrdp-xml', 2, 0],
      ['checkresult-spool-file-constructed.txt', 'text/plain', 'checkresult-file', 1, 0],
      ['external-commands-constructed.txt', 'text/plain', 'lines', 3, 1],
      ['nsca-send-input-constructed.tsv', 'text/plain', 'lines', 2, 0],
      ['service-perfdata-constructed.tsv', 'text/plain', 'lines', 5, 0],
      ['host-perfdata-constructed.tsv', null, 'lines', 2, 0],
    ];
    for (const [file, contentType, format, events, rejections] of cases) {
      const out = parseNagiosPayload(readFixture('nagios', file), ctx, { contentType });
      assert.equal(out.format, format, file);
      assert.equal(out.result.events.length, events, file);
      assert.equal(out.result.rejections.length, rejections, file);
    }
  });

  it('reads an NRDP form body and hands back its token', () => {
    const body = new URLSearchParams({
      token: 't0k3n',
      cmd: 'submitcheck',
      json: readFixture('nagios', 'nrdp-checkresults-example.json'),
    }).toString();
    const out = parseNagiosPayload(body, ctx, { contentType: 'application/x-www-form-urlencoded' });
    assert.equal(out.token, 't0k3n');
    assert.equal(out.result.events.length, 2);
  });
});

describe('parseNagiosPayload', () => {
  it('classifies each line of a mixed text feed on its own', () => {
    const body = [
      '[1700000000] PROCESS_HOST_CHECK_RESULT;h;0;UP',
      'h\tsvc\t1\tWARN',
      'DATATYPE::HOSTPERFDATA\tTIMET::1700000000\tHOSTNAME::h\tHOSTSTATEID::0\tHOSTOUTPUT::ok',
      '1700000000\th\tsvc\tOK\t1\tHARD\t0.1\t0.2\tfine\ta=1',
    ].join('\n');
    const { result } = parseNagiosPayload(body, ctx);
    assert.deepEqual(
      result.events.map((e) => e.attributes.nagiosInput),
      ['external-command', 'nsca', 'perfdata-file', 'perfdata-file'],
    );
  });

  it('honours an explicit format', () => {
    const { format, result } = parseNagiosPayload('h\tsvc\t1\tWARN', ctx, { format: 'external-commands' });
    assert.equal(format, 'external-commands');
    assert.equal(result.rejections[0]?.reason, 'bad-command');
  });

  it('detects formats from content type first', () => {
    assert.equal(detectNagiosFormat('application/x-www-form-urlencoded', '{'), 'nrdp-form');
    assert.equal(detectNagiosFormat('application/vnd.x+json', ''), 'nrdp-json');
    assert.equal(detectNagiosFormat(null, '  <checkresults/>'), 'nrdp-xml');
    assert.equal(detectNagiosFormat('text/plain', 'h\t0\tok'), 'lines');
  });
});
