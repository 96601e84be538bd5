import { parse as parseLosslessJson } from 'lossless-json';
import type { MetricEvent, ParseResult, Rejection } from '../../core/event.ts';
import { parseTimestamp } from '../../core/time.ts';
import { DEFAULT_IDENTITY_RULES, type IdentityRules } from './config.ts';
import { resolveContainerIdentity, sanitizeLabelName } from './container-identity.ts';
import { JsonNumber } from './exact-number.ts';
import { buildMetricEvent, CADVISOR_SOURCE, canonicalLabels } from './metric-event.ts';
import { readContainerStats } from './stats-metrics.ts';
import { isJsonObject, StatsReader, type JsonNode } from './stats-reader.ts';

export interface KafkaStatsOptions {
  /** Host override; otherwise the record's `machine_name`. */
  host?: string | null;
  identity?: IdentityRules;
  /** Where the record came from, for rejections (`kafka stats/0@41`). */
  location?: string | null;
}

/**
 * One record value written by cAdvisor's Kafka storage driver (a "detailSpec": `timestamp`,
 * `machine_name`, `container_Name`, `container_Id`, `container_labels`, `container_stats`) → metric events
 * named as cAdvisor's /metrics names them. Counters are read losslessly: a uint64 beyond 2^53 keeps its
 * exact decimal in `valueText`. The sample time is `container_stats.timestamp`, the record's own
 * `timestamp` (when the message was built) only when that is missing.
 */
export function parseKafkaStats(
  value: string | Uint8Array,
  options: KafkaStatsOptions = {},
): ParseResult<MetricEvent> {
  const location = options.location ?? null;
  const reject = (
    reason: string,
    detail: string,
    raw: string,
    where = location,
  ): ParseResult<MetricEvent> => ({
    events: [],
    rejections: [{ source: CADVISOR_SOURCE, reason, detail, location: where, raw }],
  });

  const text = decode(value);
  if (text === null)
    return reject('invalid_utf8', 'record value is not valid UTF-8', Buffer.from(value).toString('latin1'));
  let record: unknown;
  try {
    record = parseLosslessJson(text, null, {
      parseNumber: (literal) => new JsonNumber(literal),
      onDuplicateKey: ({ newValue }) => newValue,
    });
  } catch (error) {
    return reject('invalid_json', `record value is not JSON: ${(error as Error).message}`, text);
  }
  if (!isJsonObject(record)) return reject('invalid_record', 'record value is not a JSON object', text);

  const reader = new StatsReader();
  const root: JsonNode = { obj: record, path: '' };
  const stats = reader.child(root, 'container_stats');
  if (!stats) {
    return reject('missing_container_stats', 'record has no container_stats object', text);
  }
  const timestamp = reader.text(stats, 'timestamp') ?? reader.text(root, 'timestamp');
  const time = timestamp === null ? null : parseTimestamp(timestamp);
  if (time === null) {
    return reject(
      'invalid_timestamp',
      timestamp === null
        ? 'record has neither container_stats.timestamp nor timestamp'
        : `timestamp ${JSON.stringify(timestamp.slice(0, 64))} is not RFC 3339`,
      text,
    );
  }

  const labels = identityLabels(reader, root);
  const identity = resolveContainerIdentity('container', labels, options.identity ?? DEFAULT_IDENTITY_RULES);
  const host = options.host ?? reader.text(root, 'machine_name');
  readContainerStats(reader, stats);
  specSamples(reader, reader.child(root, 'container_spec'));

  // Per-sample labels (cpu, interface, device...) never share a name with the container's labels, so the
  // container's part of the id key is computed once per record.
  const containerKey = canonicalLabels(labels);
  const events = reader.samples.map((sample) => {
    const parts = {
      name: sample.name,
      labels: { ...labels, ...sample.labels },
      labelsKey: `${containerKey}|${canonicalLabels(sample.labels)}`,
      value: sample.value,
      metricType: sample.type,
      service: identity.service,
      host,
      container: identity.container,
      time,
      timestamp,
    };
    return buildMetricEvent(
      sample.valueText === undefined ? parts : { ...parts, valueText: sample.valueText },
    );
  });
  const rejections: Rejection[] = reader.problems.map((problem) => ({
    source: CADVISOR_SOURCE,
    reason: 'invalid_field',
    detail: `${problem.path}: ${problem.message}`,
    location: location === null ? `field ${problem.path}` : `${location} field ${problem.path}`,
    raw: text,
  }));
  return { events, rejections };
}

function decode(value: string | Uint8Array): string | null {
  if (typeof value === 'string') return value.charCodeAt(0) === 0xfeff ? value.slice(1) : value;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(value);
  } catch {
    return null;
  }
}

/** The labels cAdvisor's collector would put on the container's series: `id`, `name`, `container_label_*`. */
function identityLabels(reader: StatsReader, root: JsonNode): Record<string, string> {
  const name = firstText(reader, root, ['container_Name', 'container_name']);
  const id = firstText(reader, root, ['container_Id', 'container_id']);
  const labels: Record<string, string> = {};
  // container_Name is the Docker name when the container has one, else its cgroup path (`/docker/<id>`, `/`).
  if (name !== null && name.startsWith('/')) labels['id'] = name;
  else {
    if (id !== null) labels['id'] = id;
    if (name !== null) labels['name'] = name;
  }
  const containerLabels = firstObject(reader, root, ['container_labels', 'container_Labels']);
  for (const key of Object.keys(containerLabels?.obj ?? {})) {
    const value = reader.text(containerLabels, key);
    if (value !== null) labels[`container_label_${sanitizeLabelName(key)}`] = value;
  }
  return labels;
}

function firstText(reader: StatsReader, node: JsonNode, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = reader.text(node, key);
    if (value !== null) return value;
  }
  return null;
}

function firstObject(reader: StatsReader, node: JsonNode, keys: readonly string[]): JsonNode | null {
  for (const key of keys) {
    const value = reader.child(node, key);
    if (value) return value;
  }
  return null;
}

/** Above 2^62 the kernel means "no limit"; cAdvisor exports that as 0. */
const UNLIMITED = 2n ** 62n;

/**
 * The Kafka record carries no container spec; a producer that adds one (`container_spec`, shaped like
 * cAdvisor's ContainerSpec) gets the memory limit exported as cAdvisor does.
 */
function specSamples(reader: StatsReader, spec: JsonNode | null): void {
  const memory = reader.child(spec, 'memory');
  for (const [field, name] of [
    ['limit', 'container_spec_memory_limit_bytes'],
    ['swap_limit', 'container_spec_memory_swap_limit_bytes'],
    ['reservation', 'container_spec_memory_reservation_limit_bytes'],
  ] as const) {
    const limit = reader.number(memory, field);
    if (limit === null) continue;
    const unlimited = /^\d+$/.test(limit.text) && BigInt(limit.text) > UNLIMITED;
    reader.add(name, 'gauge', unlimited ? new JsonNumber('0') : limit, {}, `container_spec.memory.${field}`);
  }
}
