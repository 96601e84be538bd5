import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFixture, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import type { CheckEvent } from '../../core/event.ts';
import { parseNrdpForm, parseNrdpJson, parseNrdpXml } from './parse-nrdp.ts';

const ctx = { receivedAt: '2026-01-02T03:04:05.000000000Z' };
const limits = { maxBytes: 64 * 1024, maxCheckResults: 5, maxXmlDepth: 16 };

function summary(events: CheckEvent[]): unknown[] {
  return events.map((e) => [e.checkHost, e.checkService, e.status, e.output, e.time, e.attributes.stateName]);
}

const EXAMPLE = [
  ['somehost', null, 0, 'Everything looks okay!', ctx.receivedAt, 'UP'],
  ['somehost', 'someservice', 1, 'WARNING: Danger Will Robinson!', ctx.receivedAt, 'WARNING'],
];
const PERFDATA_1 = [{ label: 'perfdata', value: 1, unit: '', warn: null, crit: null, min: null, max: null }];

describe('NRDP fixtures', { skip: skipWithoutFixtures }, () => {
  it('reads the JSON example: host and service results, string states, perfdata', () => {
    const { events, rejections } = parseNrdpJson(
      readFixture('nagios', 'nrdp-checkresults-example.json'),
      ctx,
    );
    assert.deepEqual(rejections, []);
    assert.deepEqual(summary(events), EXAMPLE);
    for (const event of events) {
      assert.deepEqual(event.perfdata, PERFDATA_1);
      assert.equal(event.timestamp, null);
      assert.equal(event.attributes.nrdpEncoding, 'json');
    }
  });

  it('reads the XML example the same way', () => {
    const { events, rejections } = parseNrdpXml(readFixture('nagios', 'nrdp-checkresults-example.xml'), ctx);
    assert.deepEqual(rejections, []);
    assert.deepEqual(summary(events), EXAMPLE);
    for (const event of events) assert.deepEqual(event.perfdata, PERFDATA_1);
  });

  it('gives the JSON and XML forms of the same results the same ids', () => {
    const json = parseNrdpJson(readFixture('nagios', 'nrdp-checkresults-example.json'), ctx).events;
    const xml = parseNrdpXml(readFixture('nagios', 'nrdp-checkresults-example.xml'), ctx).events;
    assert.deepEqual(
      json.map((e) => e.id),
      xml.map((e) => e.id),
    );
  });

  it('reads the HTTP form NRDP clients post', () => {
    const form = new URLSearchParams({
      token: 'secret',
      cmd: 'submitcheck',
      XMLDATA: readFixture('nagios', 'nrdp-checkresults-example.xml'),
    });
    const { token, result } = parseNrdpForm(form, ctx);
    assert.equal(token, 'secret');
    assert.deepEqual(summary(result.events), EXAMPLE);
  });
});

describe('parseNrdpJson', () => {
  it('uses time when given, numeric states, multi-line output, and rejects bad records one by one', () => {
    const doc = {
      checkresults: [
        {
          checkresult: { type: 'service' },
          hostname: 'h',
          servicename: 's',
          state: 2,
          time: '1700000000',
          output: 'CRIT\nlong | a=1',
        },
        { checkresult: { type: 'service' }, hostname: 'h', state: '0', output: 'no service name' },
        { checkresult: { type: 'bogus' }, hostname: 'h', state: '0', output: '' },
        { hostname: '', state: '0', output: '' },
        { hostname: 'h', state: '7', output: '' },
        'not an object',
      ],
    };
    const { events, rejections } = parseNrdpJson(JSON.stringify(doc), ctx, {
      ...limits,
      maxCheckResults: 10,
    });
    assert.deepEqual(
      events.map((e) => [e.status, e.time, e.timestamp, e.output, e.longOutput, e.perfdata[0]?.label]),
      [[2, '2023-11-14T22:13:20.000000000Z', '1700000000', 'CRIT', 'long', 'a']],
    );
    assert.deepEqual(
      rejections.map((r) => [r.location, r.reason]),
      [
        ['index 1', 'missing-service'],
        ['index 2', 'bad-type'],
        ['index 3', 'missing-host'],
        ['index 4', 'bad-state'],
        ['index 5', 'bad-checkresult'],
      ],
    );
  });

  it('rejects unreadable, misshapen, oversized and overlong documents whole', () => {
    const many = JSON.stringify({
      checkresults: Array.from({ length: 6 }, () => ({ hostname: 'h', state: 0 })),
    });
    const cases: [string, string][] = [
      ['{"checkresults": [', 'invalid-json'],
      ['[]', 'missing-checkresults'],
      ['{"checkresults": 5}', 'missing-checkresults'],
      [`{"checkresults": [], "pad": "${'x'.repeat(70 * 1024)}"}`, 'payload-too-large'],
      [many, 'too-many-checkresults'],
    ];
    for (const [text, reason] of cases) {
      const result = parseNrdpJson(text, ctx, limits);
      assert.equal(result.events.length, 0, reason);
      assert.deepEqual(
        result.rejections.map((r) => r.reason),
        [reason],
      );
    }
  });
});

describe('parseNrdpXml', () => {
  it('decodes entities and character references, keeps CDATA verbatim, reads attributes', () => {
    const xml = `<checkresults><checkresult type="service" checktype="0"><hostname>a&amp;b</hostname><servicename>s</servicename><state>2</state><output>x &lt; 3 &#65;&#x42; <![CDATA[&amp; <raw>]]></output></checkresult></checkresults>`;
    const [event] = parseNrdpXml(xml, ctx).events;
    assert.equal(event?.checkHost, 'a&b');
    assert.equal(event?.output, 'x < 3 AB &amp; <raw>');
    assert.equal(event?.attributes.checkType, 'active');
  });

  it('refuses DOCTYPE and entity declarations (billion laughs, external entities)', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>' +
      '<checkresults><checkresult><hostname>&lol2;</hostname><state>0</state></checkresult></checkresults>';
    const xxe = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><checkresults/>';
    for (const text of [bomb, xxe]) {
      const result = parseNrdpXml(text, ctx);
      assert.deepEqual(result.events, []);
      assert.equal(result.rejections[0]?.reason, 'xml-doctype-forbidden');
    }
  });

  it('rejects too deep, malformed and foreign documents with a reason and position', () => {
    const deep = `<checkresults>${'<a>'.repeat(50)}${'</a>'.repeat(50)}</checkresults>`;
    assert.equal(parseNrdpXml(deep, ctx, limits).rejections[0]?.reason, 'xml-too-deep');
    const broken = parseNrdpXml('<checkresults>\n<checkresult></checkresults>', ctx).rejections[0];
    assert.equal(broken?.reason, 'invalid-xml');
    assert.match(broken?.location ?? '', /^line 2 column \d+$/);
    assert.equal(parseNrdpXml('<other/>', ctx).rejections[0]?.reason, 'missing-checkresults');
  });

  it('rejects a nested element where a text field belongs', () => {
    const xml =
      '<checkresults><checkresult><hostname><b>h</b></hostname><state>0</state></checkresult></checkresults>';
    const { events, rejections } = parseNrdpXml(xml, ctx);
    assert.equal(events.length, 0);
    assert.deepEqual(
      rejections.map((r) => [r.location, r.reason]),
      [['index 0', 'missing-host']],
    );
  });
});

describe('parseNrdpForm', () => {
  it('reads the json field and refuses other commands or missing data', () => {
    const json = JSON.stringify({ checkresults: [{ hostname: 'h', state: '0', output: 'ok' }] });
    assert.equal(
      parseNrdpForm(new URLSearchParams({ cmd: 'submitcheck', json }), ctx).result.events.length,
      1,
    );
    assert.equal(
      parseNrdpForm(new URLSearchParams({ cmd: 'submitcmd', json }), ctx).result.rejections[0]?.reason,
      'unsupported-command',
    );
    assert.equal(
      parseNrdpForm(new URLSearchParams({ cmd: 'submitcheck' }), ctx).result.rejections[0]?.reason,
      'missing-data',
    );
  });
});
