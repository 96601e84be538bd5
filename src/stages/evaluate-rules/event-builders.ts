import type { AlertEvent, CheckEvent, LogEvent, MetricEvent } from '../../core/event.ts';
import { eventId } from '../../core/event-id.ts';
import { instantFromUnixMillis } from '../../core/time.ts';

/** Events as the sources produce them, for tests and the alert-storm benchmark. */
const base = (kind: string, source: string, at: number, parts: unknown[]) => ({
  id: eventId(kind, source, at, JSON.stringify(parts)),
  source,
  time: instantFromUnixMillis(at) as string,
  timestamp: null,
  sourceKey: null,
  sequence: null,
  trace: null,
  attributes: {},
});

export function metricEvent(
  at: number,
  name: string,
  value: number,
  who: { host: string; container?: string; service?: string },
  labels: Record<string, string> = {},
): MetricEvent {
  return {
    ...base('metric', 'cadvisor', at, [name, who, labels]),
    kind: 'metric',
    service: who.service ?? who.container ?? null,
    host: who.host,
    container: who.container ?? null,
    message: `${name} ${value}`,
    name,
    value,
    labels: { name: who.container ?? '', ...labels },
    metricType: name.endsWith('_total') ? 'counter' : 'gauge',
  };
}

export function logEvent(
  at: number,
  service: string,
  host: string,
  level: string,
  message: string,
): LogEvent {
  return {
    ...base('log', 'logstash', at, [service, host, message, Math.random()]),
    kind: 'log',
    service,
    host,
    container: null,
    message,
    level,
  };
}

export function checkEvent(
  at: number,
  checkHost: string,
  checkService: string | null,
  status: 0 | 1 | 2 | 3,
  stateType: 'SOFT' | 'HARD' | null,
  attempt: number | null = null,
  maxAttempts: number | null = null,
): CheckEvent {
  return {
    ...base('check', 'nagios', at, [checkHost, checkService, status]),
    kind: 'check',
    service: checkHost,
    host: checkHost,
    container: null,
    message: `${checkService ?? 'host'} ${status}`,
    checkHost,
    checkService,
    status,
    stateType,
    attempt,
    maxAttempts,
    output: '',
    longOutput: '',
    perfdata: [],
  };
}

export function alertEvent(at: number, labels: Record<string, string>, resolved = false): AlertEvent {
  return {
    ...base('alert', 'prometheus', at, [labels, resolved]),
    kind: 'alert',
    service: labels.service ?? labels.job ?? null,
    host: labels.host ?? null,
    container: null,
    message: labels.alertname ?? '',
    name: labels.alertname ?? '',
    status: resolved ? 'resolved' : 'firing',
    labels,
    annotations: { summary: labels.alertname ?? '' },
    endsAt: resolved ? (instantFromUnixMillis(at) as string) : null,
  };
}
