import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFixture, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { parseExposition, type ExpositionSample } from './parse-exposition.ts';

function only(text: string): ExpositionSample {
  const result = parseExposition(text);
  assert.deepEqual(result.rejections, []);
  assert.equal(result.samples.length, 1);
  return result.samples[0] as ExpositionSample;
}

function rejectionOf(text: string): { reason: string; detail: string; location: string | null } {
  const result = parseExposition(text);
  assert.equal(result.rejections.length, 1, JSON.stringify(result.rejections));
  const [rejection] = result.rejections;
  assert.ok(rejection);
  return rejection;
}

describe('parseExposition: sample lines', () => {
  it('reads name, labels, value and an explicit millisecond timestamp', () => {
    const sample = only('http_requests_total{method="post",code="200"} 1027 1395066363000\n');
    assert.equal(sample.name, 'http_requests_total');
    assert.deepEqual(sample.labels, { method: 'post', code: '200' });
    assert.equal(sample.value, 1027);
    assert.equal(sample.timestampMs, 1395066363000);
    assert.equal(sample.type, 'untyped');
    assert.equal(sample.line, 1);
  });

  it('resolves the three label-value escapes and keeps other characters verbatim', () => {
    const sample = only(
      'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9\n',
    );
    assert.deepEqual(sample.labels, { path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' });
    assert.equal(sample.value, 1458255915);
    assert.deepEqual(only('m{a="x y,}={"} 1').labels, { a: 'x y,}={' });
  });

  it('reads NaN, +Inf and -Inf (any case), keeping their literal in valueText', () => {
    const nan = only('m NaN');
    assert.ok(Number.isNaN(nan.value));
    assert.equal(nan.valueText, 'NaN');
    assert.equal(only('m +Inf').value, Infinity);
    assert.equal(only('m +inf').valueText, '+Inf');
    assert.equal(only('m -Inf').value, -Infinity);
    assert.equal(only('m Inf').valueText, '+Inf');
  });

  it('keeps integers beyond 2^53 exactly in valueText', () => {
    const sample = only('container_network_receive_bytes_total 18446744073709551615');
    assert.equal(sample.value, 2 ** 64);
    assert.equal(sample.valueText, '18446744073709551615');
    assert.equal(only('m 9007199254740991').valueText, undefined);
    assert.equal(only('m 1.8446744073709552e19').valueText, undefined);
  });

  it('accepts blanks and tabs between tokens, a trailing comma, an empty label set and CRLF', () => {
    const sample = only('  m \t{ a = "1" , b="2", } \t 3 \t 4 \r\n');
    assert.deepEqual(sample.labels, { a: '1', b: '2' });
    assert.equal(sample.value, 3);
    assert.equal(sample.timestampMs, 4);
    assert.deepEqual(only('m{} 1').labels, {});
    assert.equal(only('m{a="b"}1').value, 1);
  });

  it('stores a label named __proto__ as an ordinary label', () => {
    const sample = only('m{__proto__="x",constructor="y"} 1');
    assert.equal(Object.getPrototypeOf(sample.labels), Object.prototype);
    assert.deepEqual(Object.entries(sample.labels), [
      ['__proto__', 'x'],
      ['constructor', 'y'],
    ]);
  });

  it('leaves the timestamp out when the line has none', () => {
    assert.equal('timestampMs' in only('m 1'), false);
  });
});

describe('parseExposition: rejected lines', () => {
  const cases: [string, string, string][] = [
    ['m{a="1",a="2"} 1', 'duplicate_label', 'label "a" appears twice'],
    ['m{a="1} 1', 'unterminated_label_value', 'no closing quote'],
    ['m{a="\\t"} 1', 'invalid_escape', 'invalid escape'],
    ['m{a="1" b="2"} 1', 'invalid_labels', "expected ',' or '}'"],
    ['m{a="1"', 'unterminated_labels', "no closing '}'"],
    ['m{1a="1"} 1', 'invalid_label_name', 'expected a label name'],
    ['m{a=1} 1', 'invalid_labels', "expected '\"'"],
    ['m', 'missing_value', 'no value'],
    ['m one', 'invalid_value', '"one" is not a float64'],
    ['m 0x10', 'invalid_value', 'not a float64'],
    ['m 1e400', 'invalid_value', 'not a float64'],
    ['m 1 1.5', 'invalid_timestamp', 'not integer Unix milliseconds'],
    ['m 1 -5', 'invalid_timestamp', 'between 1970 and 9999'],
    ['m 1 2 3', 'trailing_characters', 'after the timestamp'],
    ['9m 1', 'invalid_metric_name', 'expected a metric name'],
    ['m-x 1', 'invalid_metric_name', 'unexpected "-" in metric name "m"'],
  ];
  for (const [line, reason, message] of cases) {
    it(`${reason}: ${line}`, () => {
      const rejection = rejectionOf(`ok 1\n${line}\nok 2\n`);
      assert.equal(rejection.reason, reason);
      assert.equal(rejection.location, 'line 2');
      assert.match(rejection.detail, /^line 2, column \d+: /);
      assert.ok(rejection.detail.includes(message), rejection.detail);
    });
  }

  it('keeps every good line around bad ones, with their line numbers', () => {
    const result = parseExposition('a 1\nb{ 2\nc 3\n\n# comment\nd x\ne 5\n', { source: 'cadvisor' });
    assert.deepEqual(
      result.samples.map((s) => [s.name, s.value, s.line]),
      [
        ['a', 1, 1],
        ['c', 3, 3],
        ['e', 5, 7],
      ],
    );
    assert.deepEqual(
      result.rejections.map((r) => [r.source, r.location, r.raw]),
      [
        ['cadvisor', 'line 2', 'b{ 2'],
        ['cadvisor', 'line 6', 'd x'],
      ],
    );
  });

  it('gives the column of the problem', () => {
    assert.equal(rejectionOf('metric{a="1",a="2"} 1').detail, 'line 1, column 14: label "a" appears twice');
  });

  it('keeps a hostile value out of the message', () => {
    const rejection = rejectionOf(`m ${'9'.repeat(100_000)}x`);
    assert.ok(rejection.detail.length < 200);
  });
});

describe('parseExposition: HELP and TYPE', () => {
  it('types samples and unescapes HELP text', () => {
    const result = parseExposition(
      '# HELP rpc_total Calls\\nmade, with \\\\ and \\x.\n# TYPE rpc_total counter\nrpc_total 3\n# TYPE temp GAUGE\ntemp 1\n',
    );
    assert.deepEqual(result.rejections, []);
    assert.deepEqual(result.families, [
      { name: 'rpc_total', type: 'counter', help: 'Calls\nmade, with \\ and \\x.' },
      { name: 'temp', type: 'gauge', help: null },
    ]);
    assert.deepEqual(
      result.samples.map((s) => [s.name, s.type, s.family]),
      [
        ['rpc_total', 'counter', 'rpc_total'],
        ['temp', 'gauge', 'temp'],
      ],
    );
  });

  it('assigns _bucket, _sum and _count samples to their histogram', () => {
    const result = parseExposition(
      [
        '# TYPE http_request_duration_seconds histogram',
        'http_request_duration_seconds_bucket{le="0.05"} 24054',
        'http_request_duration_seconds_bucket{le="+Inf"} 144320',
        'http_request_duration_seconds_sum 53423',
        'http_request_duration_seconds_count 144320',
      ].join('\n'),
    );
    assert.deepEqual(result.rejections, []);
    assert.deepEqual(
      result.samples.map((s) => [s.name, s.type, s.family, s.labels['le']]),
      [
        ['http_request_duration_seconds_bucket', 'histogram', 'http_request_duration_seconds', '0.05'],
        ['http_request_duration_seconds_bucket', 'histogram', 'http_request_duration_seconds', '+Inf'],
        ['http_request_duration_seconds_sum', 'histogram', 'http_request_duration_seconds', undefined],
        ['http_request_duration_seconds_count', 'histogram', 'http_request_duration_seconds', undefined],
      ],
    );
    assert.equal(result.families.length, 1);
  });

  it('assigns quantiles, _sum and _count to their summary', () => {
    const result = parseExposition(
      '# TYPE rpc_duration_seconds summary\nrpc_duration_seconds{quantile="0.99"} 76656\nrpc_duration_seconds_sum 1.7560473e+07\nrpc_duration_seconds_count 2693\n',
    );
    assert.deepEqual(result.rejections, []);
    assert.deepEqual(
      result.samples.map((s) => [s.type, s.family]),
      Array(3).fill(['summary', 'rpc_duration_seconds']),
    );
  });

  it('rejects buckets without le, quantiles without quantile, and a bare histogram sample', () => {
    const result = parseExposition(
      '# TYPE h histogram\nh_bucket 1\nh_bucket{le="x"} 1\nh 1\n# TYPE s summary\ns 1\ns{quantile="0.5"} 2\n',
    );
    assert.deepEqual(
      result.rejections.map((r) => [r.reason, r.location]),
      [
        ['missing_le', 'line 2'],
        ['invalid_le', 'line 3'],
        ['invalid_histogram_sample', 'line 4'],
        ['missing_quantile', 'line 6'],
      ],
    );
    assert.equal(result.samples.length, 1);
  });

  it('rejects a second TYPE or HELP, a TYPE after samples, and an unknown type', () => {
    const result = parseExposition(
      '# TYPE a counter\n# TYPE a gauge\n# HELP a x\n# HELP a y\nb 1\n# TYPE b gauge\n# TYPE c timer\n# HELP\na 1\n',
    );
    assert.deepEqual(
      result.rejections.map((r) => [r.reason, r.location]),
      [
        ['duplicate_type', 'line 2'],
        ['duplicate_help', 'line 4'],
        ['type_after_samples', 'line 6'],
        ['invalid_type', 'line 7'],
        ['invalid_metadata', 'line 8'],
      ],
    );
    assert.deepEqual(
      result.samples.map((s) => [s.name, s.type]),
      [
        ['b', 'untyped'],
        ['a', 'counter'],
      ],
    );
  });

  it('ignores other comments and blank lines', () => {
    const result = parseExposition('# just a comment\n#\n   \n\t\n#HELPER x\nm 1\n');
    assert.deepEqual(result.rejections, []);
    assert.equal(result.samples.length, 1);
  });
});

describe('parseExposition: cAdvisor golden output', { skip: skipWithoutFixtures }, () => {
  it('reads prometheus_metrics.prom whole: 107 families, 287 samples, no rejection', () => {
    const result = parseExposition(readFixture('cadvisor', 'prometheus_metrics.prom'));
    assert.deepEqual(result.rejections, []);
    assert.equal(result.families.length, 107);
    assert.equal(result.samples.length, 287);
    assert.deepEqual(
      result.families.find((f) => f.name === 'container_cpu_usage_seconds_total'),
      {
        name: 'container_cpu_usage_seconds_total',
        type: 'counter',
        help: 'Cumulative cpu time consumed in seconds.',
      },
    );
    const versionInfo = result.samples[0];
    assert.deepEqual(versionInfo?.labels, {
      cadvisorRevision: 'abcdef',
      cadvisorVersion: '0.16.0',
      dockerVersion: '1.8.1',
      kernelVersion: '4.1.6-200.fc22.x86_64',
      osVersion: 'Fedora 22 (Twenty Two)',
    });
    const cpu03 = result.samples.find(
      (s) => s.name === 'container_cpu_usage_seconds_total' && s.labels['cpu'] === 'cpu03',
    );
    assert.equal(cpu03?.value, 5e-9);
    assert.equal(cpu03?.timestampMs, 1395066363000);
    assert.equal(cpu03?.type, 'counter');
    const maxconn = result.samples.find((s) => s.labels['tcp_state'] === 'maxconn');
    assert.equal(maxconn?.value, -1);
    const untimed = result.samples.filter((s) => s.timestampMs === undefined).map((s) => s.name);
    assert.ok(untimed.includes('container_scrape_error'));
    assert.ok(untimed.includes('container_start_time_seconds'));
  });
});
