import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricEvent } from '../../core/event.ts';
import { readFixture, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { parseExposition } from '../prometheus-text/parse-exposition.ts';
import { parseKafkaStats } from './parse-kafka-stats.ts';

const FIXTURE = 'kafka-message-constructed.json';
const record = (): string => readFixture('cadvisor', FIXTURE);
/** The fixture as an object, for building variants (its numbers are all below 2^53). */
const recordObject = (): Record<string, unknown> => JSON.parse(record()) as Record<string, unknown>;

function find(events: MetricEvent[], name: string, labels: Record<string, string> = {}): MetricEvent {
  const event = events.find(
    (e) => e.name === name && Object.entries(labels).every(([k, v]) => e.labels[k] === v),
  );
  assert.ok(event, `no ${name} ${JSON.stringify(labels)}`);
  return event;
}

function names(events: MetricEvent[]): Set<string> {
  return new Set(events.map((e) => e.name));
}

describe('parseKafkaStats on the constructed Kafka record', { skip: skipWithoutFixtures }, () => {
  it('reads the capitalised identity fields into container, service, host and cAdvisor’s labels', () => {
    const { events, rejections } = parseKafkaStats(record());
    assert.deepEqual(rejections, []);
    assert.equal(events.length, 213);
    for (const event of events) {
      assert.equal(event.source, 'cadvisor');
      assert.equal(event.container, 'web-frontend');
      assert.equal(event.service, 'web');
      assert.equal(event.host, 'node-01');
      assert.equal(event.time, '2024-05-14T09:31:07.412345678Z');
      assert.equal(event.timestamp, '2024-05-14T09:31:07.412345678Z');
    }
    assert.deepEqual(find(events, 'container_memory_working_set_bytes').labels, {
      id: '3f4b2a6c9e1d8f7a0b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a',
      name: 'web-frontend',
      container_label_com_docker_compose_service: 'web',
      container_label_maintainer: 'example',
    });
  });

  it('converts units and names metrics as cAdvisor’s /metrics does', () => {
    const { events } = parseKafkaStats(record());
    const value = (name: string, labels: Record<string, string> = {}) => find(events, name, labels).value;
    assert.equal(value('container_cpu_usage_seconds_total', { cpu: 'cpu00' }), 2.061728394);
    assert.equal(value('container_cpu_usage_seconds_total', { cpu: 'cpu01' }), 2.061728395);
    assert.ok(
      !events.some((e) => e.labels['cpu'] === 'total'),
      'per-CPU series replace the total, as in cAdvisor',
    );
    assert.equal(value('container_cpu_user_seconds_total'), 2.5);
    assert.equal(value('container_cpu_system_seconds_total'), 1.4);
    assert.equal(value('container_cpu_cfs_throttled_seconds_total'), 1.724314);
    assert.equal(value('container_cpu_cfs_throttled_periods_total'), 18);
    assert.equal(value('container_memory_working_set_bytes'), 46137344);
    assert.equal(value('container_memory_usage_bytes'), 52428800);
    assert.equal(value('container_memory_rss'), 41943040);
    assert.equal(
      value('container_memory_failures_total', { failure_type: 'pgmajfault', scope: 'hierarchy' }),
      12,
    );
    assert.equal(value('container_network_receive_bytes_total', { interface: 'eth0' }), 1183025);
    assert.equal(value('container_network_transmit_bytes_total', { interface: 'eth0' }), 524288);
    assert.equal(value('container_network_receive_errors_total', { interface: 'eth0' }), 0);
    assert.equal(value('container_network_transmit_packets_dropped_total', { interface: 'eth0' }), 0);
    assert.equal(value('container_network_tcp_usage_total', { tcp_state: 'established' }), 3);
    assert.equal(value('container_network_tcp_usage_total', { tcp_state: 'timewait' }), 2);
    assert.equal(value('container_network_advance_tcp_stats_total', { tcp_state: 'maxconn' }), -1);
    assert.equal(value('container_network_advance_tcp_stats_total', { tcp_state: 'insegs' }), 1523);
    assert.equal(value('container_fs_usage_bytes', { device: '/dev/sda1' }), 20480);
    assert.equal(value('container_fs_limit_bytes', { device: '/dev/sda1' }), 107374182400);
    assert.equal(value('container_fs_reads_bytes_total', { device: '/dev/sda' }), 1048576);
    assert.equal(value('container_fs_reads_total', { device: '/dev/sda' }), 256);
    assert.equal(value('container_fs_writes_total', { device: '/dev/sda' }), 1);
    assert.equal(
      value('container_blkio_device_usage_total', { operation: 'Total', major: '8', minor: '0' }),
      1052672,
    );
    assert.equal(value('container_tasks_state', { state: 'sleeping' }), 5);
    assert.equal(value('container_processes'), 2);
    assert.equal(value('container_file_descriptors'), 14);
    assert.equal(value('container_health_state'), -1);
    assert.equal(find(events, 'container_memory_working_set_bytes').metricType, 'gauge');
    assert.equal(find(events, 'container_network_receive_bytes_total').metricType, 'counter');
  });

  it('emits only names and types that cAdvisor’s own /metrics output uses', () => {
    const prometheus = parseExposition(readFixture('cadvisor', 'prometheus_metrics.prom'));
    const types = new Map(prometheus.families.map((f) => [f.name, f.type]));
    for (const event of parseKafkaStats(record()).events) {
      assert.equal(types.get(event.name), event.metricType, event.name);
    }
  });

  it('leaves out what the record does not carry (no hugetlb, oom_events, threads, spec)', () => {
    const present = names(parseKafkaStats(record()).events);
    for (const absent of [
      'container_hugetlb_usage_bytes',
      'container_oom_events_total',
      'container_threads',
      'container_referenced_bytes',
      'container_spec_memory_limit_bytes',
      'container_fs_io_cost_usage_seconds_total',
    ]) {
      assert.ok(!present.has(absent), absent);
    }
  });

  it('gives the same ids when the record is delivered twice', () => {
    assert.deepEqual(
      parseKafkaStats(record()).events.map((e) => e.id),
      parseKafkaStats(Buffer.from(record())).events.map((e) => e.id),
    );
  });
});

describe('parseKafkaStats on record variants', { skip: skipWithoutFixtures }, () => {
  it('keeps counters above 2^53 exactly as text, scaled exactly for ns → s', () => {
    const text = record()
      .replaceAll('"rx_bytes":1183025', '"rx_bytes":18446744073709551615')
      .replace('"user":2500000000', '"user":18446744073709551615')
      .replace('"working_set":46137344', '"working_set":9007199254740993');
    const { events, rejections } = parseKafkaStats(text);
    assert.deepEqual(rejections, []);
    const rx = find(events, 'container_network_receive_bytes_total', { interface: 'eth0' });
    assert.equal(rx.valueText, '18446744073709551615');
    assert.equal(rx.value, 2 ** 64);
    const user = find(events, 'container_cpu_user_seconds_total');
    assert.equal(user.valueText, '18446744073.709551615');
    assert.equal(user.value, Number('18446744073.709551615'));
    assert.equal(find(events, 'container_memory_working_set_bytes').valueText, '9007199254740993');
    assert.equal(find(events, 'container_memory_usage_bytes').valueText, undefined);
  });

  it('tolerates absent diskio, network and memory (pointer sections since 2026-06)', () => {
    const variant = recordObject();
    const stats = variant['container_stats'] as Record<string, unknown>;
    delete stats['diskio'];
    delete stats['network'];
    delete stats['memory'];
    const { events, rejections } = parseKafkaStats(JSON.stringify(variant));
    assert.deepEqual(rejections, []);
    const present = names(events);
    assert.ok(present.has('container_cpu_usage_seconds_total'));
    assert.ok(present.has('container_fs_usage_bytes'));
    assert.ok(![...present].some((n) => n.startsWith('container_network_')));
    // container_memory_migrate is the one memory-named series that comes from cpuset, not memory.
    assert.deepEqual(
      [...present].filter((n) => n.startsWith('container_memory_')),
      ['container_memory_migrate'],
    );
    assert.ok(!present.has('container_blkio_device_usage_total'));
    assert.ok(!present.has('container_pressure_io_stalled_seconds_total'));
    // Without diskio arrays, fs I/O counters come from the filesystem entries, as in cAdvisor.
    assert.equal(find(events, 'container_fs_reads_total', { device: '/dev/sda1' }).value, 0);
  });

  it('tolerates an older record: no psi, health, memory events, cpu_inst; zero-filled sections', () => {
    const variant = recordObject();
    const stats = variant['container_stats'] as Record<string, Record<string, unknown>>;
    delete stats['health'];
    delete stats['cpu']?.['psi'];
    delete stats['memory']?.['psi'];
    delete stats['memory']?.['events'];
    delete stats['diskio']?.['psi'];
    const { events, rejections } = parseKafkaStats(JSON.stringify(variant));
    assert.deepEqual(rejections, []);
    const present = names(events);
    assert.ok(!present.has('container_health_state'));
    assert.ok(![...present].some((n) => n.startsWith('container_pressure_')));
    assert.ok(!present.has('container_memory_events_high_total'));
    assert.equal(find(events, 'container_memory_working_set_bytes').value, 46137344);
  });

  it('reads container_Labels, lowercase keys, a cgroup-path name and the root cgroup', () => {
    const variant = recordObject();
    const labels = variant['container_labels'];
    delete variant['container_labels'];
    variant['container_Labels'] = labels;
    let [event] = parseKafkaStats(JSON.stringify(variant)).events;
    assert.equal(event?.service, 'web');

    delete variant['container_Name'];
    delete variant['container_Id'];
    variant['container_name'] = '/docker/3f4b2a6c';
    variant['container_Labels'] = {};
    [event] = parseKafkaStats(JSON.stringify(variant)).events;
    assert.deepEqual(
      [event?.container, event?.service, event?.labels],
      ['/docker/3f4b2a6c', null, { id: '/docker/3f4b2a6c' }],
    );

    variant['container_name'] = '/';
    [event] = parseKafkaStats(JSON.stringify(variant), { host: 'override' }).events;
    assert.deepEqual([event?.container, event?.service, event?.host], [null, null, 'override']);
  });

  it('falls back to the message timestamp, normalising the cAdvisor host’s zone offset', () => {
    const variant = recordObject();
    delete (variant['container_stats'] as Record<string, unknown>)['timestamp'];
    variant['timestamp'] = '2024-05-14T11:31:07.4987+02:00';
    const [event] = parseKafkaStats(JSON.stringify(variant)).events;
    assert.equal(event?.time, '2024-05-14T09:31:07.498700000Z');
    assert.equal(event?.timestamp, '2024-05-14T11:31:07.4987+02:00');
  });

  it('rejects a field of the wrong type by its path and keeps the rest of the record', () => {
    const text = record()
      .replace('"working_set":46137344', '"working_set":"lots"')
      .replace('"interfaces":[', '"interfaces":[7,');
    const { events, rejections } = parseKafkaStats(text, { location: 'kafka stats/0@41' });
    assert.deepEqual(
      rejections.map((r) => [r.reason, r.location, r.detail]),
      [
        [
          'invalid_field',
          'kafka stats/0@41 field container_stats.memory.working_set',
          'container_stats.memory.working_set: expected a number',
        ],
        [
          'invalid_field',
          'kafka stats/0@41 field container_stats.network.interfaces[0]',
          'container_stats.network.interfaces[0]: expected an object',
        ],
      ],
    );
    assert.ok(!names(events).has('container_memory_working_set_bytes'));
    assert.equal(find(events, 'container_memory_usage_bytes').value, 52428800);
    assert.equal(find(events, 'container_network_receive_bytes_total', { interface: 'eth0' }).value, 1183025);
  });
});

describe('parseKafkaStats on records that are not stats', () => {
  const cases: [string, string | Uint8Array, string, RegExp][] = [
    ['truncated JSON', '{"container_stats":{"timestamp":', 'invalid_json', /not JSON: .*position/],
    ['an array', '[1,2,3]', 'invalid_record', /not a JSON object/],
    [
      'no stats',
      '{"container_Name":"x","timestamp":"2024-05-14T09:31:07Z"}',
      'missing_container_stats',
      /no container_stats/,
    ],
    ['no timestamp', '{"container_stats":{"cpu":{}}}', 'invalid_timestamp', /neither/],
    [
      'a bad timestamp',
      '{"container_stats":{"timestamp":"yesterday"}}',
      'invalid_timestamp',
      /"yesterday" is not RFC 3339/,
    ],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 'invalid_utf8', /UTF-8/],
  ];
  for (const [what, value, reason, detail] of cases) {
    it(`rejects ${what} as ${reason}`, () => {
      const result = parseKafkaStats(value, { location: 'kafka stats/2@7' });
      assert.deepEqual(result.events, []);
      assert.equal(result.rejections.length, 1);
      assert.equal(result.rejections[0]?.reason, reason);
      assert.equal(result.rejections[0]?.location, 'kafka stats/2@7');
      assert.match(result.rejections[0]?.detail ?? '', detail);
    });
  }

  it('reads a record with a byte-order mark and duplicate keys (last wins)', () => {
    const result = parseKafkaStats(
      '\ufeff{"container_Name":"a","container_stats":{"timestamp":"2024-05-14T09:31:07Z","oom_events":1,"oom_events":2}}',
    );
    assert.deepEqual(result.rejections, []);
    assert.deepEqual(
      result.events.map((e) => [e.name, e.value, e.container]),
      [['container_oom_events_total', 2, 'a']],
    );
  });

  it('maps a spec memory limit when a producer adds container_spec, "unlimited" as 0', () => {
    const result = parseKafkaStats(
      '{"container_Name":"a","container_spec":{"memory":{"limit":536870912,"swap_limit":18446744073709551615}},"container_stats":{"timestamp":"2024-05-14T09:31:07Z"}}',
    );
    assert.deepEqual(
      result.events.map((e) => [e.name, e.value]),
      [
        ['container_spec_memory_limit_bytes', 536870912],
        ['container_spec_memory_swap_limit_bytes', 0],
      ],
    );
  });
});
