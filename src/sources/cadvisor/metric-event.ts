import type { MetricEvent } from '../../core/event.ts';
import { eventId } from '../../core/event-id.ts';

export const CADVISOR_SOURCE = 'cadvisor';

export interface MetricParts {
  name: string;
  labels: Record<string, string>;
  value: number;
  valueText?: string;
  metricType: NonNullable<MetricEvent['metricType']>;
  service: string | null;
  host: string | null;
  container: string | null;
  /** Normalized instant of the sample. */
  time: string;
  /** The sample's timestamp exactly as the input wrote it, null when `time` is the receive time. */
  timestamp: string | null;
  attributes?: Record<string, unknown>;
  /** Precomputed identity of the label set for the id (defaults to `canonicalLabels(labels)`). */
  labelsKey?: string;
}

/**
 * One cAdvisor sample as an event. The id hashes source, container (or host), metric name, the sorted
 * label set and the time, so a re-scrape of an unchanged sample or a redelivered Kafka record is stored once.
 */
export function buildMetricEvent(parts: MetricParts): MetricEvent {
  const event: MetricEvent = {
    id: eventId(
      CADVISOR_SOURCE,
      parts.container ?? parts.host,
      parts.name,
      canonicalLabels(parts.labels),
      parts.time,
    ),
    kind: 'metric',
    source: CADVISOR_SOURCE,
    service: parts.service,
    host: parts.host,
    container: parts.container,
    time: parts.time,
    timestamp: parts.timestamp,
    sourceKey: null,
    sequence: null,
    trace: null,
    message: `${parts.name} ${parts.valueText ?? String(parts.value)} (${parts.service ?? parts.container ?? parts.host ?? 'unknown'})`,
    attributes: parts.attributes ?? {},
    name: parts.name,
    value: parts.value,
    labels: parts.labels,
    metricType: parts.metricType,
  };
  if (parts.valueText !== undefined) event.valueText = parts.valueText;
  return event;
}

/**
 * Label set in a form that does not depend on key order and cannot be confused across keys and values:
 * label names never contain `=` or `;`, and each value is prefixed by its length.
 */
export function canonicalLabels(labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels).sort();
  let out = '';
  for (const key of keys) {
    const value = labels[key] ?? '';
    out += `${key}=${value.length};${value}`;
  }
  return out;
}
