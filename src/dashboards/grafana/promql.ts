/**
 * The PromQL of the container panels. Every selector names the service by the configured cAdvisor label
 * and the containers chosen in the `$container` variable; Grafana expands `$container` to a regex
 * alternation (or `.*` for All) and `$__rate_interval` / `$__range` before Prometheus sees the query.
 */
export interface ServiceScope {
  service: string;
  /** cAdvisor label carrying the service name, e.g. container_label_com_docker_compose_service. */
  serviceLabel: string;
}

/** A PromQL double-quoted string literal. */
export function promString(value: string): string {
  const escaped = value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
  return `"${escaped}"`;
}

export function selector(metric: string, scope: ServiceScope): string {
  return `${metric}{${scope.serviceLabel}=${promString(scope.service)}, name=~"$container"}`;
}

/** Per-container rate of a counter, summed over its other labels (cpu, interface, device). */
export function ratePerContainer(metric: string, scope: ServiceScope): string {
  return `sum by (name) (rate(${selector(metric, scope)}[$__rate_interval]))`;
}

export function sumPerContainer(metric: string, scope: ServiceScope, filter = ''): string {
  return `sum by (name) (${selector(metric, scope)}${filter})`;
}

/** The variable listing the service's containers (cAdvisor's `name` label). */
export function containerValuesQuery(scope: ServiceScope): string {
  return `label_values(container_last_seen{${scope.serviceLabel}=${promString(scope.service)}}, name)`;
}

export const containerQueries = {
  up: (s: ServiceScope) => `count(${selector('container_last_seen', s)})`,
  /** cAdvisor has no restart counter: a restart (or re-creation) moves the container's start time. */
  restarts: (s: ServiceScope) => `sum(changes(${selector('container_start_time_seconds', s)}[$__range]))`,
  oomKills: (s: ServiceScope) => `sum(increase(${selector('container_oom_events_total', s)}[$__range]))`,
  cpuCores: (s: ServiceScope) => ratePerContainer('container_cpu_usage_seconds_total', s),
  cpuLimitCores: (s: ServiceScope) =>
    `sum by (name) (${selector('container_spec_cpu_quota', s)} / ${selector('container_spec_cpu_period', s)})`,
  cpuThrottled: (s: ServiceScope) =>
    `${ratePerContainer('container_cpu_cfs_throttled_periods_total', s)} / ${ratePerContainer('container_cpu_cfs_periods_total', s)}`,
  memoryWorkingSet: (s: ServiceScope) => sumPerContainer('container_memory_working_set_bytes', s),
  /** 0 means "no limit": leave those containers out rather than draw a limit line at zero. */
  memoryLimit: (s: ServiceScope) => sumPerContainer('container_spec_memory_limit_bytes', s, ' > 0'),
  networkRx: (s: ServiceScope) => ratePerContainer('container_network_receive_bytes_total', s),
  /** Negated so transmit draws below the axis and receive above, in one panel. */
  networkTx: (s: ServiceScope) => `-${ratePerContainer('container_network_transmit_bytes_total', s)}`,
  networkRxErrors: (s: ServiceScope) => ratePerContainer('container_network_receive_errors_total', s),
  networkTxErrors: (s: ServiceScope) => ratePerContainer('container_network_transmit_errors_total', s),
  networkRxDrops: (s: ServiceScope) => ratePerContainer('container_network_receive_packets_dropped_total', s),
  networkTxDrops: (s: ServiceScope) => ratePerContainer('container_network_transmit_packets_dropped_total', s),
  fsUsage: (s: ServiceScope) => sumPerContainer('container_fs_usage_bytes', s),
  fsReads: (s: ServiceScope) => ratePerContainer('container_fs_reads_bytes_total', s),
  fsWrites: (s: ServiceScope) => `-${ratePerContainer('container_fs_writes_bytes_total', s)}`,
} as const;
