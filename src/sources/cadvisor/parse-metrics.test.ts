import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricEvent } from '../../core/event.ts';
import { readFixture, skipWithoutFixtures } from '../../../test/support/fixtures.ts';
import { hostOfTarget, parseCadvisorMetrics, type CadvisorMetricsOptions } from './parse-metrics.ts';

const SCRAPED_AT = '2024-05-14T09:31:07.000000000Z';
const FIXTURE_TIME = '2014-03-17T14:26:03.000000000Z'; // 1395066363000 ms

function parseFixture(file: string, options: Partial<CadvisorMetricsOptions> = {}) {
  return parseCadvisorMetrics(readFixture('cadvisor', file), {
    scrapedAt: SCRAPED_AT,
    target: 'http://node-01:8080/metrics',
    ...options,
  });
}

function find(events: MetricEvent[], name: string, labels: Record<string, string> = {}): MetricEvent {
  const event = events.find(
    (e) => e.name === name && Object.entries(labels).every(([k, v]) => e.labels[k] === v),
  );
  assert.ok(event, `no ${name} ${JSON.stringify(labels)}`);
  return event;
}

describe('parseCadvisorMetrics on cAdvisor’s golden outputs', { skip: skipWithoutFixtures }, () => {
  it('prometheus_metrics.prom: every sample becomes an event with its exact value and explicit timestamp', () => {
    const { events, rejections } = parseFixture('prometheus_metrics.prom');
    assert.deepEqual(rejections, []);
    assert.equal(events.length, 287);
    assert.equal(new Set(events.map((e) => e.name)).size, 107);

    const cpu = find(events, 'container_cpu_usage_seconds_total', { cpu: 'cpu02' });
    assert.equal(cpu.value, 4e-9);
    assert.equal(cpu.metricType, 'counter');
    assert.equal(cpu.time, FIXTURE_TIME);
    assert.equal(cpu.timestamp, '1395066363000');
    assert.equal(cpu.source, 'cadvisor');
    assert.equal(cpu.kind, 'metric');
    assert.deepEqual(cpu.labels, {
      container_env_foo_env: 'prod',
      container_label_foo_label: 'bar',
      cpu: 'cpu02',
      id: 'testcontainer',
      image: 'test',
      name: 'testcontaineralias',
      zone_name: 'hello',
    });

    assert.equal(find(events, 'container_memory_working_set_bytes').value, 9);
    assert.equal(find(events, 'container_fs_usage_bytes', { device: 'sda2' }).value, 38);
    assert.equal(find(events, 'container_network_receive_bytes_total', { interface: 'eth0' }).value, 14);
    assert.equal(find(events, 'container_cpu_schedstat_runqueue_seconds_total').value, 479.424566378);
    assert.equal(
      find(events, 'container_network_advance_tcp_stats_total', { tcp_state: 'maxconn' }).value,
      -1,
    );
    assert.equal(
      find(events, 'container_memory_numa_pages', { node: '1', scope: 'hierarchy', type: 'unevictable' })
        .value,
      20000,
    );
    assert.equal(find(events, 'container_last_seen').value, 1395066363);
  });

  it('maps the test container to its service, container and the scrape target’s host', () => {
    const { events } = parseFixture('prometheus_metrics.prom');
    const memory = find(events, 'container_memory_working_set_bytes');
    assert.equal(memory.service, 'testcontaineralias');
    assert.equal(memory.container, 'testcontaineralias');
    assert.equal(memory.host, 'node-01');

    const byLabel = parseFixture('prometheus_metrics.prom', {
      identity: { serviceLabels: ['container_label_foo_label'], serviceEnvNames: [] },
    });
    assert.equal(find(byLabel.events, 'container_memory_working_set_bytes').service, 'bar');
    const byEnv = parseFixture('prometheus_metrics.prom', {
      identity: { serviceLabels: ['container_label_absent'], serviceEnvNames: ['FOO_ENV'] },
      host: 'configured-host',
    });
    const envMemory = find(byEnv.events, 'container_memory_working_set_bytes');
    assert.equal(envMemory.service, 'prod');
    assert.equal(envMemory.host, 'configured-host');
  });

  it('puts cAdvisor’s own series on the host, timed at the scrape when they carry no timestamp', () => {
    const { events } = parseFixture('prometheus_metrics.prom');
    const version = find(events, 'cadvisor_version_info');
    assert.deepEqual([version.service, version.container, version.host], [null, null, 'node-01']);
    const scrapeError = find(events, 'container_scrape_error');
    assert.deepEqual(
      [scrapeError.value, scrapeError.container, scrapeError.time, scrapeError.timestamp],
      [0, null, SCRAPED_AT, null],
    );
    const started = find(events, 'container_start_time_seconds');
    assert.equal(started.value, 1257895000);
    assert.equal(started.container, 'testcontaineralias');
    assert.equal(started.time, SCRAPED_AT);
  });

  it('prometheus_metrics_whitelist_filtered.prom: same series without the filtered container label', () => {
    const full = parseFixture('prometheus_metrics.prom');
    const filtered = parseFixture('prometheus_metrics_whitelist_filtered.prom');
    assert.deepEqual(filtered.rejections, []);
    assert.equal(filtered.events.length, full.events.length);
    assert.ok(filtered.events.every((e) => !('container_label_foo_label' in e.labels)));
    const memory = find(filtered.events, 'container_memory_working_set_bytes');
    assert.equal(memory.value, 9);
    assert.equal(memory.labels['container_env_foo_env'], 'prod');
    assert.equal(memory.service, 'testcontaineralias');
    // The id hashes the label set, so the two variants never collide.
    assert.notEqual(memory.id, find(full.events, 'container_memory_working_set_bytes').id);
  });

  it('prometheus_metrics_perf_aggregated.prom: aggregated perf events carry cpu="" and scaling ratios', () => {
    const { events, rejections } = parseFixture('prometheus_metrics_perf_aggregated.prom');
    assert.deepEqual(rejections, []);
    assert.equal(events.length, 17);
    const instructions = find(events, 'container_perf_events_total', { event: 'instructions' });
    assert.deepEqual(
      [instructions.value, instructions.labels['cpu'], instructions.metricType],
      [579, '', 'counter'],
    );
    assert.equal(
      find(events, 'container_perf_events_scaling_ratio', { event: 'instructions_retired' }).value,
      0.33333333333,
    );
    const uncore = find(events, 'container_perf_uncore_events_total', { socket: '1' });
    assert.equal(uncore.value, 1111231331);
    assert.equal(uncore.labels['pmu'], 'uncore_imc_0');
    assert.equal(uncore.service, 'testcontaineralias');
  });

  it('prometheus_machine_metrics.prom: machine metrics belong to the host', () => {
    const { events, rejections } = parseFixture('prometheus_machine_metrics.prom', { host: 'node-07' });
    assert.deepEqual(rejections, []);
    assert.equal(events.length, 66);
    assert.ok(events.every((e) => e.host === 'node-07' && e.container === null && e.service === null));
    const cores = find(events, 'machine_cpu_cores');
    assert.deepEqual(
      [cores.value, cores.time, cores.labels['machine_id']],
      [4, FIXTURE_TIME, 'machine-id-test'],
    );
    assert.equal(find(events, 'machine_nvm_capacity', { mode: 'app_direct_mode' }).value, 1735166787584);
    assert.equal(find(events, 'machine_node_memory_capacity_bytes', { node_id: '1' }).value, 33604804606);
    assert.equal(
      find(events, 'machine_cpu_cache_capacity_bytes', { core_id: '', level: '3' }).value,
      8388608,
    );
    assert.equal(find(events, 'machine_scrape_error').value, 0);
  });

  it('the failure outputs: a single scrape-error gauge of 1 on the host', () => {
    for (const [file, name] of [
      ['prometheus_metrics_failure.prom', 'container_scrape_error'],
      ['prometheus_machine_metrics_failure.prom', 'machine_scrape_error'],
    ] as const) {
      const { events, rejections } = parseFixture(file);
      assert.deepEqual(rejections, []);
      assert.deepEqual(
        events.map((e) => [e.name, e.value, e.metricType, e.host, e.container, e.time]),
        [[name, 1, 'gauge', 'node-01', null, SCRAPED_AT]],
      );
    }
  });

  it('gives the same ids to the same scrape parsed twice, and different ids to different samples', () => {
    const first = parseFixture('prometheus_metrics.prom').events.map((e) => e.id);
    const second = parseFixture('prometheus_metrics.prom').events.map((e) => e.id);
    assert.deepEqual(first, second);
    assert.equal(new Set(first).size, first.length);
  });
});

describe('parseCadvisorMetrics on bad input', () => {
  it('keeps the good samples and rejects the bad lines with source cadvisor', () => {
    const result = parseCadvisorMetrics(
      'container_memory_usage_bytes{id="/docker/a",name="a"} 10 1700000000000\nbroken{ 1\ncontainer_memory_usage_bytes{id="/docker/b",name="b"} 20\n',
      { scrapedAt: SCRAPED_AT, host: 'h' },
    );
    assert.deepEqual(
      result.events.map((e) => [e.container, e.value, e.time]),
      [
        ['a', 10, '2023-11-14T22:13:20.000000000Z'],
        ['b', 20, SCRAPED_AT],
      ],
    );
    assert.deepEqual(
      result.rejections.map((r) => [r.source, r.reason, r.location]),
      [['cadvisor', 'invalid_label_name', 'line 2']],
    );
  });

  it('keeps a counter beyond 2^53 exactly', () => {
    const [event] = parseCadvisorMetrics(
      'container_network_receive_bytes_total{id="/docker/a"} 18446744073709551615',
      {
        scrapedAt: SCRAPED_AT,
      },
    ).events;
    assert.equal(event?.valueText, '18446744073709551615');
    assert.equal(event?.host, null);
  });
});

describe('hostOfTarget', () => {
  for (const [target, host] of [
    ['http://node-01:8080/metrics', 'node-01'],
    ['https://10.0.0.5', '10.0.0.5'],
    ['http://[::1]:8080', '::1'],
    ['node-02:8080', 'node-02'],
    ['', null],
    [null, null],
  ] as const) {
    it(`${JSON.stringify(target)} → ${JSON.stringify(host)}`, () => assert.equal(hostOfTarget(target), host));
  }
});
