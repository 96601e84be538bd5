import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readFixture, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { parseExposition } from './parse-exposition.ts';

const metricName = fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,20}$/);
const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,15}$/);
/** Any text at all, control characters, quotes, backslashes and astral code points included. */
const hostileText = fc.string({ unit: 'binary', maxLength: 200 });
const labelSet = fc.uniqueArray(fc.tuple(labelName, hostileText), {
  selector: ([name]) => name,
  maxLength: 6,
});

function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

function renderLine(name: string, labels: [string, string][], value: string, timestamp?: number): string {
  const body = labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',');
  return `${name}${labels.length > 0 ? `{${body}}` : ''} ${value}${timestamp === undefined ? '' : ` ${timestamp}`}`;
}

function lineCount(text: string): number {
  return text.split('\n').length;
}

describe('parseExposition properties', () => {
  it('never throws on arbitrary text, and every rejection names an existing line and a reason', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (text) => {
        const result = parseExposition(text);
        for (const rejection of result.rejections) {
          assert.ok(rejection.reason.length > 0);
          const line = Number(/^line (\d+)$/.exec(rejection.location ?? '')?.[1]);
          assert.ok(line >= 1 && line <= lineCount(text), rejection.location ?? 'no location');
          assert.ok(rejection.detail.startsWith(`line ${line}, column `));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on line-shaped noise built from the format’s own characters', () => {
    const token = fc.constantFrom(
      'm',
      'x_y',
      '{',
      '}',
      '"',
      '\\',
      ',',
      '=',
      ' ',
      '\t',
      '1',
      '-',
      '+Inf',
      'NaN',
      'e',
      '.',
      '#',
      'TYPE',
      'HELP',
      '\n',
      'le',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 80 }), (tokens) => {
        const result = parseExposition(tokens.join(''));
        assert.ok(result.samples.length + result.rejections.length <= lineCount(tokens.join('')));
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips hostile label values (control characters, quotes, backslashes, newlines, huge)', () => {
    fc.assert(
      fc.property(metricName, labelSet, (name, labels) => {
        const result = parseExposition(renderLine(name, labels, '1'));
        assert.deepEqual(result.rejections, []);
        assert.deepEqual(Object.entries(result.samples[0]?.labels ?? {}), labels);
      }),
      { numRuns: 1000 },
    );
    const huge = 'x"\\\n'.repeat(250_000);
    const result = parseExposition(renderLine('m', [['a', huge]], '1'));
    assert.equal(result.samples[0]?.labels['a'], huge);
  });

  it('rejects an unterminated or badly escaped label value without losing the next line', () => {
    fc.assert(
      fc.property(metricName, labelName, hostileText, (name, label, value) => {
        const unterminated = `${name}{${label}="${escapeLabelValue(value)} 1`;
        const result = parseExposition(`${unterminated}\nafter 2\n`);
        assert.equal(result.rejections.length, 1);
        assert.equal(result.rejections[0]?.location, 'line 1');
        assert.deepEqual(
          result.samples.map((s) => [s.name, s.line]),
          [['after', 2]],
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('reads any float64 written with JavaScript’s shortest round-trip notation', () => {
    fc.assert(
      fc.property(fc.double(), (value) => {
        const text = Object.is(value, -0) ? '-0' : String(value);
        const result = parseExposition(`m ${text}`);
        assert.deepEqual(result.rejections, []);
        assert.ok(Object.is(result.samples[0]?.value, value), `${text} → ${result.samples[0]?.value}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps huge integers exactly, and rejects numbers beyond float64 instead of throwing', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^-?[1-9][0-9]{0,400}$/), (digits) => {
        const result = parseExposition(`m ${digits}`);
        if (!Number.isFinite(Number(digits))) {
          assert.equal(result.rejections[0]?.reason, 'invalid_value');
          return;
        }
        const sample = result.samples[0];
        assert.equal(sample?.value, Number(digits));
        assert.equal(sample?.valueText, Number.isSafeInteger(Number(digits)) ? undefined : digits);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps every valid line before and after a bad one and rejects the bad one with a reason', () => {
    const goodLine = fc
      .tuple(
        metricName,
        labelSet,
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.option(fc.nat(), { nil: undefined }),
      )
      .map(([name, labels, value, timestamp]) => ({ name, labels, value, timestamp }));
    const badLine = fc.constantFrom(
      ['m{a="1",a="2"} 1', 'duplicate_label'],
      ['m{a="1} 1', 'unterminated_label_value'],
      ['m{a="\\q"} 1', 'invalid_escape'],
      ['m 12abc', 'invalid_value'],
      ['m 1 2 3', 'trailing_characters'],
      ['{a="1"} 1', 'invalid_metric_name'],
      ['m 1 1e3', 'invalid_timestamp'],
    );
    fc.assert(
      fc.property(fc.array(goodLine, { maxLength: 10 }), badLine, fc.nat(), (good, [bad, reason], at) => {
        const position = at % (good.length + 1);
        const lines = good.map((g) => renderLine(g.name, g.labels, String(g.value), g.timestamp));
        lines.splice(position, 0, bad);
        const result = parseExposition(lines.join('\n'));
        assert.deepEqual(
          result.rejections.map((r) => [r.reason, r.location]),
          [[reason, `line ${position + 1}`]],
        );
        assert.deepEqual(
          result.samples.map((s) => [s.name, Object.entries(s.labels), s.value, s.timestampMs]),
          good.map((g) => [g.name, g.labels, g.value, g.timestamp]),
        );
      }),
      { numRuns: 1000 },
    );
  });
});

describe('parseExposition on truncated cAdvisor output', { skip: skipWithoutFixtures }, () => {
  it('keeps every complete line of prometheus_metrics.prom cut at 400 places', () => {
    const text = readFixture('cadvisor', 'prometheus_metrics.prom');
    const whole = parseExposition(text);
    const step = Math.ceil(text.length / 400);
    for (let cut = 0; cut <= text.length; cut += step) {
      const part = text.slice(0, cut);
      const lastLine = lineCount(part);
      const result = parseExposition(part);
      const complete = result.samples.filter((s) => s.line < lastLine);
      assert.deepEqual(
        complete,
        whole.samples.filter((s) => s.line < lastLine),
        `cut at ${cut}`,
      );
      for (const rejection of result.rejections)
        assert.equal(rejection.location, `line ${lastLine}`, `cut at ${cut}`);
    }
  });
});
