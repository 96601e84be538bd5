import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readFixture, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { parseCadvisorMetrics } from './parse-metrics.ts';
import { parseKafkaStats } from './parse-kafka-stats.ts';

const SCRAPED_AT = '2024-05-14T09:31:07.000000000Z';
const PROM_FILES = [
  'prometheus_metrics.prom',
  'prometheus_metrics_whitelist_filtered.prom',
  'prometheus_metrics_perf_aggregated.prom',
  'prometheus_machine_metrics.prom',
];

function assertWellFormedRejections(rejections: { reason: string; detail: string; source: string }[]): void {
  for (const rejection of rejections) {
    assert.equal(rejection.source, 'cadvisor');
    assert.match(rejection.reason, /^[a-z0-9_]+$/);
    assert.ok(rejection.detail.length > 0);
  }
}

describe('cAdvisor /metrics text, truncated anywhere', { skip: skipWithoutFixtures }, () => {
  for (const file of PROM_FILES) {
    it(`${file}: every cut keeps the events of its complete lines`, () => {
      const text = readFixture('cadvisor', file);
      const whole = parseCadvisorMetrics(text, { scrapedAt: SCRAPED_AT, host: 'h' });
      const step = Math.max(1, Math.floor(text.length / 300));
      for (let cut = 0; cut <= text.length; cut += step) {
        const result = parseCadvisorMetrics(text.slice(0, cut), { scrapedAt: SCRAPED_AT, host: 'h' });
        assertWellFormedRejections(result.rejections);
        assert.ok(result.rejections.length <= 1, `cut at ${cut}`);
        // Every event but the one from the cut line is the untruncated parse's event, id for id.
        const complete = result.events.slice(0, -1).map((e) => e.id);
        assert.deepEqual(
          complete,
          whole.events.slice(0, complete.length).map((e) => e.id),
          `cut at ${cut}`,
        );
      }
    });
  }
});

describe('cAdvisor Kafka records, damaged anyhow', { skip: skipWithoutFixtures }, () => {
  it('a record cut at any byte is one invalid_json rejection', () => {
    const text = readFixture('cadvisor', 'kafka-message-constructed.json').trimEnd();
    for (let cut = 0; cut < text.length; cut += 7) {
      const result = parseKafkaStats(Buffer.from(text).subarray(0, cut));
      assert.deepEqual(result.events, [], `cut at ${cut}`);
      assert.deepEqual(
        result.rejections.map((r) => r.reason),
        ['invalid_json'],
        `cut at ${cut}`,
      );
    }
  });

  it('a record with any one character replaced never throws', () => {
    const text = readFixture('cadvisor', 'kafka-message-constructed.json');
    fc.assert(
      fc.property(
        fc.nat({ max: text.length - 1 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }),
        (at, replacement) => {
          const result = parseKafkaStats(text.slice(0, at) + replacement + text.slice(at + 1));
          assertWellFormedRejections(result.rejections);
          assert.ok(result.events.length > 0 || result.rejections.length > 0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('cAdvisor Kafka records of arbitrary shape', () => {
  const sectionKeys = [
    'cpu',
    'memory',
    'network',
    'diskio',
    'filesystem',
    'hugetlb',
    'task_stats',
    'processes',
    'health',
    'cpuset',
    'oom_events',
  ];

  it('never throws, whatever JSON sits where stats are expected', () => {
    const anyJson = fc.jsonValue({ maxDepth: 4 });
    const stats = fc.dictionary(fc.constantFrom(...sectionKeys), anyJson, { maxKeys: 6 });
    fc.assert(
      fc.property(anyJson, anyJson, stats, (name, labels, sections) => {
        const record = {
          container_Name: name,
          container_labels: labels,
          container_stats: { timestamp: '2024-05-14T09:31:07.412345678Z', ...sections },
        };
        const result = parseKafkaStats(JSON.stringify(record));
        assertWellFormedRejections(result.rejections);
        for (const event of result.events)
          assert.ok(typeof event.value === 'number' && event.name.startsWith('container_'));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary bytes, huge numbers or deep nesting', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        assertWellFormedRejections(parseKafkaStats(bytes).rejections);
      }),
      { numRuns: 500 },
    );
    const huge = `{"container_stats":{"timestamp":"2024-05-14T09:31:07Z","oom_events":1${'0'.repeat(400)}}}`;
    const [rejection, ...others] = parseKafkaStats(huge).rejections;
    assert.deepEqual(others, []);
    assert.equal(rejection?.reason, 'invalid_field');
    assert.match(rejection?.detail ?? '', /^container_stats\.oom_events: number 10+… is out of range$/);
    const deep = `{"container_stats":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    assert.equal(parseKafkaStats(deep).rejections[0]?.reason, 'invalid_json');
  });
});
