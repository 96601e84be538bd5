import { labelsFingerprint } from '../sources/alertmanager-api/fingerprint.ts';

export type LabelSet = Readonly<Record<string, string>>;

/**
 * One alert as the noise-reduction stage sees it, whatever produced it (a rule over metrics, logs or
 * Nagios checks, or Prometheus through /api/v2/alerts). Alertmanager's model: identity is the
 * fingerprint of the label set; an alert is resolved once `endsAt` is in the past.
 */
export interface Alert {
  labels: LabelSet;
  annotations: LabelSet;
  /** Epoch ms. */
  startsAt: number;
  /** Epoch ms; null while firing with no known end (resolved by an explicit resolve or resolve_timeout). */
  endsAt: number | null;
  /** Last time any source said something about this alert (epoch ms). */
  updatedAt: number;
  generatorURL: string;
  /** `labelsFingerprint(labels)`: 16 hex digits, Prometheus' own. */
  fingerprint: string;
  /** Input that produced it: prometheus, cadvisor, nagios, logstash... */
  source: string;
  /** When Tributary first received it (epoch ms): the arrival order incidents are rebuilt in after a restart. */
  receivedAt?: number;
}

export function fingerprintOf(labels: LabelSet): string {
  return labelsFingerprint(labels);
}

export function isResolved(alert: Alert, now: number): boolean {
  return alert.endsAt !== null && alert.endsAt <= now;
}

export function statusOf(alert: Alert, now: number): 'firing' | 'resolved' {
  return isResolved(alert, now) ? 'resolved' : 'firing';
}

/** The labels an alert is about, for topology and merge: host, container, service. */
export function entityOf(labels: LabelSet): {
  host: string | null;
  container: string | null;
  service: string | null;
} {
  return {
    host: labels.host ?? labels.hostname ?? labels.nagios_host ?? hostOfInstance(labels.instance) ?? null,
    container: labels.container ?? labels.container_name ?? labels.name ?? null,
    service: labels.service ?? labels.job ?? null,
  };
}

function hostOfInstance(instance: string | undefined): string | null {
  if (instance === undefined || instance === '') return null;
  return /^([^:/]+):\d+$/.exec(instance)?.[1] ?? instance;
}

/** Alertmanager merges an update into the alert it has: the earlier start, the newer end. */
export function mergeAlert(previous: Alert, next: Alert): Alert {
  const startsAt = Math.min(previous.startsAt, next.startsAt);
  // A resolved update after a firing one wins; a firing update re-opens a resolved alert.
  return { ...next, startsAt: isResolvedAt(previous, next.updatedAt) ? next.startsAt : startsAt };
}

function isResolvedAt(alert: Alert, now: number): boolean {
  return alert.endsAt !== null && alert.endsAt <= now;
}

/** The label set as Alertmanager writes it in group keys: `{a="x", b="y"}` with names sorted. */
export function formatLabels(labels: LabelSet): string {
  return `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(', ')}}`;
}
