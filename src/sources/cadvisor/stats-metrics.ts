import { diskSamples } from './stats-disk-metrics.ts';
import type { JsonNode, StatsReader } from './stats-reader.ts';

/**
 * cAdvisor ContainerStats (v1 JSON, as the Kafka storage driver writes it) → samples named and scaled as
 * cAdvisor's own Prometheus collector (metrics/prometheus.go) exports them, so rules and dashboards read
 * a scraped and a Kafka-fed container the same way. Sections absent from the record yield nothing.
 */
export function readContainerStats(reader: StatsReader, stats: JsonNode): void {
  cpuSamples(reader, reader.child(stats, 'cpu'));
  memorySamples(reader, reader.child(stats, 'memory'));
  hugetlbSamples(reader, stats);
  networkSamples(reader, reader.child(stats, 'network'));
  const diskio = reader.child(stats, 'diskio');
  diskSamples(reader, stats, diskio);
  pressureSamples(reader, diskio, 'io');
  taskSamples(reader, reader.child(stats, 'task_stats'));
  processSamples(reader, reader.child(stats, 'processes'));
  reader.emit(stats, 'referenced_memory', 'container_referenced_bytes', 'gauge');
  reader.emit(stats, 'oom_events', 'container_oom_events_total', 'counter');
  reader.emit(reader.child(stats, 'cpuset'), 'memory_migrate', 'container_memory_migrate', 'gauge');
  healthSample(reader, reader.child(stats, 'health'));
}

const NS = { scale: 9 };
const US = { scale: 6 };

function cpuSamples(reader: StatsReader, cpu: JsonNode | null): void {
  if (!cpu) return;
  const usage = reader.child(cpu, 'usage');
  reader.emit(usage, 'user', 'container_cpu_user_seconds_total', 'counter', NS);
  reader.emit(usage, 'system', 'container_cpu_system_seconds_total', 'counter', NS);
  // Like cAdvisor: one series per CPU when per-CPU usage was collected, else one `cpu="total"` series.
  const perCpu = reader.numberItems(usage, 'per_cpu_usage');
  if (perCpu.length === 0) {
    reader.emit(usage, 'total', 'container_cpu_usage_seconds_total', 'counter', {
      ...NS,
      labels: { cpu: 'total' },
    });
  }
  for (const { number, path, index } of perCpu) {
    const labels = { cpu: `cpu${String(index).padStart(2, '0')}` };
    reader.add('container_cpu_usage_seconds_total', 'counter', number, { ...NS, labels }, path);
  }

  const cfs = reader.child(cpu, 'cfs');
  reader.emit(cfs, 'periods', 'container_cpu_cfs_periods_total', 'counter');
  reader.emit(cfs, 'throttled_periods', 'container_cpu_cfs_throttled_periods_total', 'counter');
  reader.emit(cfs, 'throttled_time', 'container_cpu_cfs_throttled_seconds_total', 'counter', NS);
  reader.emit(cfs, 'bursts_periods', 'container_cpu_cfs_burst_periods_total', 'counter');
  reader.emit(cfs, 'burst_time', 'container_cpu_cfs_burst_seconds_total', 'counter', NS);

  const schedstat = reader.child(cpu, 'schedstat');
  reader.emit(schedstat, 'run_time', 'container_cpu_schedstat_run_seconds_total', 'counter', NS);
  reader.emit(schedstat, 'runqueue_time', 'container_cpu_schedstat_runqueue_seconds_total', 'counter', NS);
  reader.emit(schedstat, 'run_periods', 'container_cpu_schedstat_run_periods_total', 'counter');

  reader.emit(cpu, 'load_average', 'container_cpu_load_average_10s', 'gauge');
  reader.emit(cpu, 'load_d_average', 'container_cpu_load_d_average_10s', 'gauge');
  pressureSamples(reader, cpu, 'cpu');
}

/** PSI totals are cumulative microseconds: `full` is stalled time, `some` waiting time. */
function pressureSamples(reader: StatsReader, section: JsonNode | null, resource: string): void {
  const psi = reader.child(section, 'psi');
  reader.emit(
    reader.child(psi, 'full'),
    'total',
    `container_pressure_${resource}_stalled_seconds_total`,
    'counter',
    US,
  );
  reader.emit(
    reader.child(psi, 'some'),
    'total',
    `container_pressure_${resource}_waiting_seconds_total`,
    'counter',
    US,
  );
}

const MEMORY_FIELDS: readonly (readonly [string, string, 'counter' | 'gauge'])[] = [
  ['cache', 'container_memory_cache', 'gauge'],
  ['rss', 'container_memory_rss', 'gauge'],
  ['kernel', 'container_memory_kernel_usage', 'gauge'],
  ['mapped_file', 'container_memory_mapped_file', 'gauge'],
  ['swap', 'container_memory_swap', 'gauge'],
  ['failcnt', 'container_memory_failcnt', 'counter'],
  ['usage', 'container_memory_usage_bytes', 'gauge'],
  ['max_usage', 'container_memory_max_usage_bytes', 'gauge'],
  ['working_set', 'container_memory_working_set_bytes', 'gauge'],
  ['total_active_file', 'container_memory_total_active_file_bytes', 'gauge'],
  ['total_inactive_file', 'container_memory_total_inactive_file_bytes', 'gauge'],
  ['file_dirty', 'container_memory_file_dirty_bytes', 'gauge'],
  ['file_writeback', 'container_memory_file_writeback_bytes', 'gauge'],
  ['pgscan', 'container_memory_pgscan_total', 'counter'],
  ['pgsteal', 'container_memory_pgsteal_total', 'counter'],
  ['workingset_refault_file', 'container_memory_workingset_refault_file_total', 'counter'],
  ['workingset_refault_anon', 'container_memory_workingset_refault_anon_total', 'counter'],
];

function memorySamples(reader: StatsReader, memory: JsonNode | null): void {
  if (!memory) return;
  for (const [field, name, type] of MEMORY_FIELDS) reader.emit(memory, field, name, type);
  for (const [key, scope] of [
    ['container_data', 'container'],
    ['hierarchical_data', 'hierarchy'],
  ] as const) {
    const data = reader.child(memory, key);
    for (const fault of ['pgfault', 'pgmajfault']) {
      reader.emit(data, fault, 'container_memory_failures_total', 'counter', {
        labels: { failure_type: fault, scope },
      });
    }
    const numa = reader.child(data, 'numa_stats');
    for (const type of ['file', 'anon', 'unevictable']) {
      const perNode = reader.child(numa, type);
      for (const node of Object.keys(perNode?.obj ?? {})) {
        reader.emit(perNode, node, 'container_memory_numa_pages', 'gauge', { labels: { type, scope, node } });
      }
    }
  }
  const events = reader.child(memory, 'events');
  reader.emit(events, 'high', 'container_memory_events_high_total', 'counter');
  reader.emit(events, 'max', 'container_memory_events_max_total', 'counter');
  pressureSamples(reader, memory, 'memory');
}

function hugetlbSamples(reader: StatsReader, stats: JsonNode): void {
  for (const [pagesize, entry] of reader.entries(stats, 'hugetlb')) {
    const labels = { pagesize };
    reader.emit(entry, 'usage', 'container_hugetlb_usage_bytes', 'gauge', { labels });
    reader.emit(entry, 'max_usage', 'container_hugetlb_max_usage_bytes', 'gauge', { labels });
    reader.emit(entry, 'failcnt', 'container_hugetlb_failcnt', 'counter', { labels });
  }
}

const INTERFACE_FIELDS: readonly (readonly [string, string])[] = [
  ['rx_bytes', 'container_network_receive_bytes_total'],
  ['rx_packets', 'container_network_receive_packets_total'],
  ['rx_dropped', 'container_network_receive_packets_dropped_total'],
  ['rx_errors', 'container_network_receive_errors_total'],
  ['tx_bytes', 'container_network_transmit_bytes_total'],
  ['tx_packets', 'container_network_transmit_packets_total'],
  ['tx_dropped', 'container_network_transmit_packets_dropped_total'],
  ['tx_errors', 'container_network_transmit_errors_total'],
];

function networkSamples(reader: StatsReader, network: JsonNode | null): void {
  if (!network) return;
  // cAdvisor exports `interfaces[]`; the default interface inlined at this level is the same data again,
  // so it is used only when a record carries no list.
  const listed = reader.items(network, 'interfaces');
  const interfaces = listed.length > 0 ? listed : reader.text(network, 'name') !== null ? [network] : [];
  for (const iface of interfaces) {
    const labels = { interface: reader.text(iface, 'name') ?? '' };
    for (const [field, name] of INTERFACE_FIELDS) reader.emit(iface, field, name, 'counter', { labels });
  }
  // TCP/UDP keys are Go field names (no JSON tags); cAdvisor's label values are the lowercased names.
  for (const [key, name, label] of [
    ['tcp', 'container_network_tcp_usage_total', 'tcp_state'],
    ['tcp6', 'container_network_tcp6_usage_total', 'tcp_state'],
    ['udp', 'container_network_udp_usage_total', 'udp_state'],
    ['udp6', 'container_network_udp6_usage_total', 'udp_state'],
    ['tcp_advanced', 'container_network_advance_tcp_stats_total', 'tcp_state'],
  ] as const) {
    const section = reader.child(network, key);
    for (const field of Object.keys(section?.obj ?? {})) {
      reader.emit(section, field, name, 'gauge', { labels: { [label]: field.toLowerCase() } });
    }
  }
}

const TASK_STATES: readonly (readonly [string, string])[] = [
  ['nr_sleeping', 'sleeping'],
  ['nr_running', 'running'],
  ['nr_stopped', 'stopped'],
  ['nr_uninterruptible', 'uninterruptible'],
  ['nr_io_wait', 'iowaiting'],
];

function taskSamples(reader: StatsReader, tasks: JsonNode | null): void {
  for (const [field, state] of TASK_STATES) {
    reader.emit(tasks, field, 'container_tasks_state', 'gauge', { labels: { state } });
  }
}

function processSamples(reader: StatsReader, processes: JsonNode | null): void {
  if (!processes) return;
  reader.emit(processes, 'process_count', 'container_processes', 'gauge');
  reader.emit(processes, 'fd_count', 'container_file_descriptors', 'gauge');
  reader.emit(processes, 'socket_count', 'container_sockets', 'gauge');
  reader.emit(processes, 'threads_current', 'container_threads', 'gauge');
  reader.emit(processes, 'threads_max', 'container_threads_max', 'gauge');
  for (const ulimit of reader.items(processes, 'ulimits')) {
    const labels = { ulimit: reader.text(ulimit, 'name') ?? '' };
    reader.emit(ulimit, 'soft_limit', 'container_ulimits_soft', 'gauge', { labels });
  }
}

/** As cAdvisor: 1 healthy, -1 no health check defined (empty status), 0 starting or unhealthy. */
function healthSample(reader: StatsReader, health: JsonNode | null): void {
  if (!health) return;
  const status = reader.text(health, 'status') ?? '';
  reader.addValue('container_health_state', 'gauge', status === 'healthy' ? 1 : status === '' ? -1 : 0);
}
