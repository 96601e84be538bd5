import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { CheckEvent, ParseResult } from '../../core/event.ts';
import { InMemoryCheckStateStore } from './check-state-store.ts';
import { parseCheckResultFile } from './parse-checkresult-file.ts';
import { parseNrdpJson, parseNrdpXml } from './parse-nrdp.ts';
import { parseNagiosPayload } from './parse-payload.ts';
import { parseExternalCommands, parseNscaLines } from './parse-passive-lines.ts';
import { parsePerfdata } from './parse-perfdata.ts';
import { parsePerfdataFile } from './parse-perfdata-file.ts';
import { parsePluginOutput } from './parse-plugin-output.ts';
import { createStateTracker } from './state-tracker.ts';
import { INITIAL_STATE, nextState, type StateOutcome } from './state-type-rules.ts';

const ctx = { receivedAt: '2026-01-02T03:04:05.000000000Z' };
const UNITS = ['', 's', 'ms', 'us', '%', 'B', 'KB', 'MB', 'GB', 'TB', 'c', 'KiB'];

/** Everything a parser returns must be well-formed, whatever it was given. */
function assertWellFormed(result: ParseResult<CheckEvent>): void {
  for (const event of result.events) {
    assert.equal(event.kind, 'check');
    assert.equal(event.source, 'nagios');
    assert.ok([0, 1, 2, 3].includes(event.status));
    assert.match(event.id, /^[A-Za-z0-9_-]{27}$/);
    assert.match(event.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/);
    assert.ok(event.checkHost.length > 0);
    assert.ok(!event.output.includes('\n'));
    for (const p of event.perfdata) {
      assert.ok(p.label.length > 0);
      assert.ok(p.value === null || Number.isFinite(p.value));
    }
  }
  for (const rejection of result.rejections) {
    assert.equal(rejection.source, 'nagios');
    assert.match(rejection.reason, /^[a-z]+(?:-[a-z]+)*$/);
    assert.ok(rejection.detail.length > 0);
    assert.equal(typeof rejection.raw, 'string');
  }
}

const lineLevel = (result: ParseResult<CheckEvent>) =>
  result.rejections.filter((r) => !r.location?.includes('perfdata item'));

const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 300 }),
);

describe('parsers never throw and always explain', () => {
  it('on arbitrary text, for every format', () => {
    fc.assert(
      fc.property(text, (input) => {
        assert.doesNotThrow(() => parsePerfdata(input));
        assert.doesNotThrow(() => parsePluginOutput(input));
        for (const result of [
          parsePerfdataFile(input, ctx),
          parseExternalCommands(input, ctx),
          parseNscaLines(input, ctx),
          parseCheckResultFile(input, ctx),
          parseNrdpJson(input, ctx),
          parseNrdpXml(input, ctx),
          parseNagiosPayload(input, ctx).result,
        ]) {
          assertWellFormed(result);
        }
      }),
    );
  });

  it('on arbitrary JSON documents and check results posted to NRDP', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 8 }),
        fc.jsonValue({ maxDepth: 4 }),
        (items, doc) => {
          const result = parseNrdpJson(JSON.stringify({ checkresults: items }), ctx);
          assertWellFormed(result);
          assert.equal(
            result.events.length + lineLevel(result).length,
            items.length,
            'one outcome per check result',
          );
          assertWellFormed(parseNrdpJson(JSON.stringify(doc), ctx));
        },
      ),
    );
  });

  it('on every truncation of valid inputs', () => {
    const valid = [
      '[1700000000] PROCESS_SERVICE_CHECK_RESULT;h;s;2;CRIT - x | a=1;2;3;0;10 b=U',
      "[SERVICEPERFDATA]\t1700000000\th\ts\t0.1\t0.2\tOK\t'a b'=1s;1:;@2:3;0;",
      'DATATYPE::SERVICEPERFDATA\tTIMET::1700000000\tHOSTNAME::h\tSERVICEDESC::s\tSERVICESTATEID::1\tSERVICEOUTPUT::w',
      '{"checkresults":[{"checkresult":{"type":"service"},"hostname":"h","servicename":"s","state":"1","output":"W|x=1"}]}',
      "<checkresults><checkresult type='service'><hostname>h</hostname><servicename>s</servicename><state>1</state><output>W &amp; x|y=2</output></checkresult></checkresults>",
      'host_name=h\nservice_description=s\nreturn_code=2\nstart_time=1700000000.0\noutput=C\\nlong|z=3\n',
      "h\ts\t2\tCRIT | 'q''x'=5%;80;90",
    ];
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.nat(), (input, cut) => {
        const prefix = input.slice(0, cut % (input.length + 1));
        assertWellFormed(parseNagiosPayload(prefix, ctx).result);
        assert.doesNotThrow(() => parsePerfdata(prefix));
      }),
    );
  });
});

describe('valid neighbours are kept', () => {
  const item = fc.record({
    label: fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_./ ]{0,15}$/),
    value: fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.constant(null)),
    unit: fc.constantFrom(...UNITS),
    warn: fc.constantFrom(null, '10', '10:', '~:10', '@10:20', '-2:'),
    min: fc.option(fc.integer({ min: -10, max: 0 }), { nil: null }),
  });
  type Item = { label: string; value: number | null; unit: string; warn: string | null; min: number | null };
  const serialize = (i: Item): string =>
    `'${i.label.replaceAll("'", "''")}'=${i.value === null ? 'U' : i.value}${i.unit};${i.warn ?? ''};;${i.min ?? ''};`;

  it('in perfdata: every well-formed item survives any junk item between them', () => {
    fc.assert(
      fc.property(
        fc.array(item, { minLength: 1, maxLength: 6 }),
        fc.stringMatching(/^[^\s='][^\s=]{0,20}$/),
        fc.nat(),
        (items, junk, at) => {
          const parts = items.map(serialize);
          parts.splice(at % (parts.length + 1), 0, junk);
          const { items: parsed, problems } = parsePerfdata(parts.join(' '));
          assert.deepEqual(
            parsed.map((p) => [p.label, p.value, p.unit, p.warn, p.min]),
            items.map((i) => [i.label, i.value, i.unit, i.warn, i.min]),
          );
          assert.deepEqual(
            problems.map((p) => [p.reason, p.kept]),
            [['missing-equals', false]],
          );
        },
      ),
    );
  });

  it('in perfdata files: every good line becomes its event whatever lines surround it', () => {
    const good = (i: number) =>
      `[SERVICEPERFDATA]\t${1700000000 + i}\thost\tsvc\t0.1\t0.2\tline ${i}\tv=${i}`;
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.nat(1000), fc.string({ unit: 'binary', maxLength: 80 })), { maxLength: 12 }),
        (mix) => {
          const lines = mix.map((m) => (typeof m === 'number' ? good(m) : m.replaceAll('\n', ' ')));
          const result = parsePerfdataFile(lines.join('\n'), ctx);
          assertWellFormed(result);
          const expected = mix.flatMap((m) => (typeof m === 'number' ? [`line ${m}`] : []));
          const outputs = result.events.map((e) => e.output);
          let cursor = 0;
          for (const output of outputs) if (output === expected[cursor]) cursor += 1;
          assert.equal(cursor, expected.length, 'good lines kept in order');
          const nonBlank = lines.filter((l) => l.trim() !== '' && l.trim() !== '\r').length;
          assert.equal(result.events.length + lineLevel(result).length, nonBlank, 'one outcome per line');
        },
      ),
    );
  });
});

describe('hostile input', () => {
  it('survives control characters, a 1 MB label, huge numbers and NUL bytes', () => {
    const megaLabel = `'${'L'.repeat(1024 * 1024)}'=1;2;3`;
    const inputs = [
      `[1700000000] PROCESS_SERVICE_CHECK_RESULT;h;s;0;ok | ${megaLabel} after=2`,
      `h\ts\t0\tok | big=${'9'.repeat(300)} neg=-${'9'.repeat(400)} fine=1`,
      `[1700000000] PROCESS_HOST_CHECK_RESULT;h\u0000;0;\u0007\u001b[31mred\u0000 | a\u0000=1`,
      '\u0000\u0001\u0002\t\t\t\t\t\t\t\n\r\n\u2028\u2029\ufeff',
    ];
    for (const input of inputs) assertWellFormed(parseNagiosPayload(input, ctx).result);
    const [mega] = parseNagiosPayload(inputs[0] ?? '', ctx).result.events;
    assert.deepEqual(
      mega?.perfdata.map((p) => p.label.length),
      [1024 * 1024, 5],
    );
    const huge = parseNagiosPayload(inputs[1] ?? '', ctx).result;
    assert.deepEqual(
      huge.events[0]?.perfdata.map((p) => p.label),
      ['big', 'fine'],
      'a finite 300-digit number is kept, an overflowing one rejected',
    );
    assert.deepEqual(
      huge.rejections.map((r) => r.reason),
      ['perfdata-value-out-of-range'],
    );
  });

  it('refuses deep XML, entity bombs and oversized documents quickly', () => {
    const deep = `${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`;
    const lol =
      '<!ENTITY lol "lol">' +
      Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('');
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [${lol}]><checkresults><checkresult><hostname>&lol9;</hostname></checkresult></checkresults>`;
    const big = `<checkresults>${'<checkresult><hostname>h</hostname><state>0</state></checkresult>'.repeat(100_000)}</checkresults>`;
    const started = Date.now();
    assert.equal(
      parseNrdpXml(`<checkresults>${deep}</checkresults>`, ctx).rejections[0]?.reason,
      'xml-too-deep',
    );
    assert.equal(parseNrdpXml(bomb, ctx).rejections[0]?.reason, 'xml-doctype-forbidden');
    assert.equal(parseNrdpXml(big, ctx).rejections[0]?.reason, 'payload-too-large');
    assert.equal(
      parseNrdpJson(`${'['.repeat(200_000)}${']'.repeat(200_000)}`, ctx).rejections[0]?.reason,
      'missing-checkresults',
    );
    assert.ok(Date.now() - started < 5000, 'bounded time');
  });
});

describe('state tracking invariants', () => {
  const statuses = fc.array(fc.constantFrom<0 | 1 | 2 | 3>(0, 1, 2, 3), { maxLength: 40 });

  it('keeps attempts within 1..max and reports hard changes only in HARD states', () => {
    fc.assert(
      fc.property(statuses, fc.integer({ min: 1, max: 5 }), fc.boolean(), (sequence, max, hostUp) => {
        let state: StateOutcome['next'] = INITIAL_STATE;
        let hardStatus = 0;
        for (const status of sequence) {
          const out = nextState(state, {
            status,
            isHost: false,
            passive: true,
            maxAttempts: max,
            hostUp,
            passiveHostChecksAreSoft: false,
          });
          assert.ok(out.attempt >= 1 && out.attempt <= max);
          if (out.hardStateChange) assert.equal(out.stateType, 'HARD');
          if (out.stateType === 'HARD') {
            assert.equal(
              out.hardStateChange,
              status !== hardStatus,
              'a HARD result changes the hard state iff it differs',
            );
            hardStatus = status;
          }
          state = out.next;
        }
      }),
    );
  });

  it('with max_check_attempts 1, every change of status is a hard change', async () => {
    await fc.assert(
      fc.asyncProperty(statuses, async (sequence) => {
        const tracker = createStateTracker(new InMemoryCheckStateStore(), { maxCheckAttempts: () => 1 });
        let previous = 0;
        for (const [i, status] of sequence.entries()) {
          const [event] = parseExternalCommands(
            `[${1700000000 + i}] PROCESS_SERVICE_CHECK_RESULT;h;s;${status};x`,
            ctx,
          ).events;
          assert.ok(event);
          const { hardStateChange } = await tracker.observe(event);
          assert.equal(hardStateChange, status !== previous);
          previous = status;
        }
      }),
    );
  });
});
