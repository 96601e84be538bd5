import type {
  AlertEvent,
  CheckEvent,
  EventKind,
  LogEvent,
  MetricEvent,
  SpanEvent,
  TributaryEvent,
} from '../core/event.ts';
import { instantFromUnixMillis } from '../core/time.ts';
import type { ServiceEntry } from '../stages/resolve-services/service-catalog.ts';
import type { EventStore } from '../store/event-store.ts';
import { millisOf } from './format.ts';
import {
  containersIn,
  counterSeries,
  gaugeSeries,
  latestGauge,
  latestRate,
  type Window,
} from './metric-series.ts';

export const METRICS = {
  cpu: 'container_cpu_usage_seconds_total',
  memory: 'container_memory_working_set_bytes',
  memoryLimit: 'container_spec_memory_limit_bytes',
  rx: 'container_network_receive_bytes_total',
  tx: 'container_network_transmit_bytes_total',
} as const;

/** A service whose last event is older than this is shown as stale, whatever its last numbers said. */
const STALE_AFTER_MS = 10 * 60_000;
/** Health uses the last few minutes of data the service sent (not of the wall clock: replays work too). */
const HEALTH_WINDOW_MS = 5 * 60_000;
const CHART_WINDOW_MS = 60 * 60_000;
const CHART_BUCKETS = 60;
/** Bounds of one read: a status board must stay cheap however chatty a service is. */
const MAX_SAMPLES = 5000;

export type HealthStatus = 'ok' | 'warning' | 'critical' | 'stale';

export interface ServiceHealth {
  entry: ServiceEntry;
  status: HealthStatus;
  /** Why the status is not ok, in words. */
  reasons: string[];
  containers: string[];
  /** Percent of one core, as `docker stats` shows it. */
  cpuPercent: number | null;
  memoryBytes: number | null;
  /** Null when a container has no limit. */
  memoryLimitBytes: number | null;
  firingAlerts: AlertEvent[];
  /** Latest result of each Nagios check of the service. */
  checks: CheckEvent[];
}

export interface ServiceDetail extends ServiceHealth {
  window: Window;
  cpuCores: (number | null)[];
  memory: (number | null)[];
  memoryLimit: (number | null)[];
  rx: (number | null)[];
  tx: (number | null)[];
  logs: LogEvent[];
  traces: TraceSummary[];
}

export interface TraceSummary {
  traceId: string;
  time: string;
  name: string;
  durationMs: number | null;
  error: boolean;
}

async function recent<T extends TributaryEvent>(
  store: EventStore,
  service: string,
  kind: EventKind,
  limit: number,
  extra: { q?: string; fromMs?: number; toMs?: number } = {},
): Promise<T[]> {
  const page = await store.query({
    kinds: [kind],
    service,
    limit,
    order: 'desc',
    ...(extra.q === undefined ? {} : { q: extra.q }),
    ...(extra.fromMs === undefined ? {} : { from: instantFromUnixMillis(extra.fromMs) ?? undefined }),
    ...(extra.toMs === undefined ? {} : { to: instantFromUnixMillis(extra.toMs) ?? undefined }),
  });
  return page.items.filter((event): event is T => event.kind === kind);
}

/**
 * The store has no filter on the metric name, but a metric event's message starts with it, so the
 * full-text match narrows the read to that metric; the exact name is checked after.
 */
async function metric(
  store: EventStore,
  service: string,
  name: string,
  fromMs: number,
  toMs: number,
): Promise<MetricEvent[]> {
  const events = await recent<MetricEvent>(store, service, 'metric', MAX_SAMPLES, { q: name, fromMs, toMs });
  return events.filter((event) => event.name === name);
}

/** Latest event per key, among events read newest first. */
function latestBy<T>(events: readonly T[], key: (event: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const event of events) if (!seen.has(key(event))) seen.set(key(event), event);
  return [...seen.values()];
}

function checkKey(check: CheckEvent): string {
  return `${check.checkHost}\u0000${check.checkService ?? ''}`;
}

export async function readServiceHealth(
  store: EventStore,
  entry: ServiceEntry,
  nowMs: number,
): Promise<ServiceHealth> {
  const endMs = millisOf(entry.lastSeen) + 1;
  const fromMs = endMs - HEALTH_WINDOW_MS;
  const [cpu, memory, limit, alerts, checks] = await Promise.all([
    metric(store, entry.name, METRICS.cpu, fromMs, endMs),
    metric(store, entry.name, METRICS.memory, fromMs, endMs),
    metric(store, entry.name, METRICS.memoryLimit, fromMs, endMs),
    recent<AlertEvent>(store, entry.name, 'alert', 500),
    recent<CheckEvent>(store, entry.name, 'check', 1000),
  ]);
  const firingAlerts = latestBy(
    alerts,
    (a) => `${a.name}\u0000${JSON.stringify(Object.entries(a.labels).sort())}`,
  ).filter((a) => a.status === 'firing' && (a.endsAt === null || millisOf(a.endsAt) > nowMs));
  const latestChecks = latestBy(checks, checkKey).sort((a, b) => checkKey(a).localeCompare(checkKey(b)));
  const cores = latestRate(cpu);
  const health: ServiceHealth = {
    entry,
    status: 'ok',
    reasons: [],
    containers: containersIn([...cpu, ...memory]),
    cpuPercent: cores === null ? null : cores * 100,
    memoryBytes: latestGauge(memory),
    memoryLimitBytes: latestGauge(limit, true),
    firingAlerts,
    checks: latestChecks,
  };
  judge(health, nowMs);
  return health;
}

function judge(health: ServiceHealth, nowMs: number): void {
  const critical = health.checks.filter((c) => c.status === 2).length;
  const warning = health.checks.filter((c) => c.status === 1 || c.status === 3).length;
  const memoryShare =
    health.memoryBytes !== null && health.memoryLimitBytes
      ? health.memoryBytes / health.memoryLimitBytes
      : null;
  if (health.firingAlerts.length > 0) health.reasons.push(`${health.firingAlerts.length} alert(s) firing`);
  if (critical > 0) health.reasons.push(`${critical} check(s) critical`);
  if (warning > 0) health.reasons.push(`${warning} check(s) warning or unknown`);
  if (memoryShare !== null && memoryShare > 0.9)
    health.reasons.push(`memory at ${Math.round(memoryShare * 100)} % of limit`);
  if (nowMs - millisOf(health.entry.lastSeen) > STALE_AFTER_MS) {
    health.status = 'stale';
    health.reasons.unshift('no event for more than 10 minutes');
  } else if (health.firingAlerts.length > 0 || critical > 0) {
    health.status = 'critical';
  } else if (health.reasons.length > 0) {
    health.status = 'warning';
  }
}

export async function readServiceDetail(
  store: EventStore,
  entry: ServiceEntry,
  nowMs: number,
): Promise<ServiceDetail> {
  const toMs = millisOf(entry.lastSeen) + 1;
  const window: Window = { fromMs: toMs - CHART_WINDOW_MS, toMs, buckets: CHART_BUCKETS };
  const read = (name: string) => metric(store, entry.name, name, window.fromMs, window.toMs);
  const [health, cpu, memory, limit, rx, tx, logs, spans] = await Promise.all([
    readServiceHealth(store, entry, nowMs),
    read(METRICS.cpu),
    read(METRICS.memory),
    read(METRICS.memoryLimit),
    read(METRICS.rx),
    read(METRICS.tx),
    recent<LogEvent>(store, entry.name, 'log', 50),
    recent<SpanEvent>(store, entry.name, 'span', 500),
  ]);
  return {
    ...health,
    window,
    cpuCores: counterSeries(cpu, window),
    memory: gaugeSeries(memory, window),
    memoryLimit: gaugeSeries(
      limit.filter((e) => e.value > 0),
      window,
    ),
    rx: counterSeries(rx, window),
    tx: counterSeries(tx, window),
    // Oldest first, as /v1/logs reads them: the page is a tail of the log.
    logs: logs.reverse(),
    traces: summarizeTraces(spans, logs),
  };
}

/** The latest traces of the service: from its spans, else from trace ids its logs carry. */
function summarizeTraces(spans: readonly SpanEvent[], logs: readonly LogEvent[]): TraceSummary[] {
  const byTrace = new Map<string, TraceSummary>();
  for (const span of spans) {
    const traceId = span.trace?.traceId;
    if (!traceId) continue;
    const known = byTrace.get(traceId);
    const isRoot = !span.trace?.parentSpanId;
    if (!known || isRoot || (known.durationMs ?? 0) < span.durationMs) {
      byTrace.set(traceId, {
        traceId,
        time: span.time,
        name: span.name,
        durationMs: span.durationMs,
        error: (known?.error ?? false) || span.status === 'error',
      });
    } else if (span.status === 'error') known.error = true;
  }
  for (const log of logs) {
    const traceId = log.trace?.traceId;
    if (traceId && !byTrace.has(traceId)) {
      byTrace.set(traceId, {
        traceId,
        time: log.time,
        name: log.message.slice(0, 80),
        durationMs: null,
        error: log.level === 'error',
      });
    }
  }
  return [...byTrace.values()].sort((a, b) => b.time.localeCompare(a.time)).slice(0, 10);
}
