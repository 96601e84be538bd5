import type { AlertEvent, ParseResult, Rejection } from '../../core/event.ts';
import { eventId } from '../../core/event-id.ts';
import { parseTimestamp } from '../../core/time.ts';
import { labelsFingerprint } from './fingerprint.ts';

export const SOURCE = 'prometheus';

type Read<T> = { ok: true; value: T } | { ok: false; reason: string; detail: string };
type JsonObject = Record<string, unknown>;

/**
 * The body of Alertmanager API v2 `POST /api/v2/alerts` (what Prometheus sends): an array of
 * `{labels, annotations?, startsAt?, endsAt?, generatorURL?}`. Each alert becomes an AlertEvent or a
 * rejection with its index (Alertmanager likewise keeps the valid alerts of a batch and reports the
 * others). An alert is `resolved` when endsAt is at or before `receivedAt`, else `firing`; without
 * startsAt it starts at endsAt, else at `receivedAt` (as Alertmanager does).
 */
export function parseAlertmanagerAlerts(body: unknown, receivedAt: string): ParseResult<AlertEvent> {
  const result: ParseResult<AlertEvent> = { events: [], rejections: [] };
  if (!Array.isArray(body)) {
    result.rejections.push(
      rejection('not_an_array', `body is ${typeName(body)}, expected a JSON array of alerts`, 'body', body),
    );
    return result;
  }
  for (const [index, item] of body.entries()) {
    const alert = readAlert(item, receivedAt);
    if (alert.ok) result.events.push(alert.value);
    else
      result.rejections.push(
        rejection(alert.reason, `index ${index}: ${alert.detail}`, `index ${index}`, item),
      );
  }
  return result;
}

/** The same from the body text, with a rejection (not an exception) for invalid JSON. */
export function parseAlertmanagerAlertsText(text: string, receivedAt: string): ParseResult<AlertEvent> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const detail = `body is not valid JSON: ${(error instanceof Error ? error.message : String(error)).slice(0, 200)}`;
    return { events: [], rejections: [rejection('invalid_json', detail, 'body', text)] };
  }
  return parseAlertmanagerAlerts(body, receivedAt);
}

function readAlert(item: unknown, receivedAt: string): Read<AlertEvent> {
  if (!isObject(item)) return fail('invalid_structure', `alert is ${typeName(item)}, expected an object`);
  const labels = readStringMap(item.labels, 'labels', true);
  if (!labels.ok) return labels;
  const name = labels.value.alertname;
  if (name === undefined || name === '')
    return fail('missing_alertname', 'labels.alertname is missing or empty');
  const annotations = readStringMap(item.annotations, 'annotations', false);
  if (!annotations.ok) return annotations;
  const startsAt = readTime(item.startsAt, 'startsAt');
  if (!startsAt.ok) return startsAt;
  const endsAt = readTime(item.endsAt, 'endsAt');
  if (!endsAt.ok) return endsAt;
  if (startsAt.value && endsAt.value && endsAt.value.instant < startsAt.value.instant) {
    return fail('invalid_time', `endsAt ${endsAt.value.raw} is before startsAt ${startsAt.value.raw}`);
  }
  const generatorURL = readUrl(item.generatorURL);
  if (!generatorURL.ok) return generatorURL;

  const status = endsAt.value !== null && endsAt.value.instant <= receivedAt ? 'resolved' : 'firing';
  const fingerprint = labelsFingerprint(labels.value);
  const start = startsAt.value ?? endsAt.value;
  const attributes: JsonObject = { fingerprint };
  if (generatorURL.value !== null) attributes.generatorURL = generatorURL.value;
  if (endsAt.value !== null) attributes.endsAtRaw = endsAt.value.raw;
  return ok({
    id: eventId(SOURCE, fingerprint, startsAt.value?.instant, endsAt.value?.instant, status),
    kind: 'alert',
    source: SOURCE,
    service: labels.value.service ?? labels.value.job ?? null,
    host: labels.value.host ?? labels.value.hostname ?? hostOf(labels.value.instance),
    container: labels.value.container ?? labels.value.container_name ?? null,
    time: start?.instant ?? receivedAt,
    timestamp: startsAt.value?.raw ?? null,
    sourceKey: null,
    sequence: null,
    trace: null,
    message: annotations.value.summary ?? annotations.value.description ?? annotations.value.message ?? name,
    attributes,
    name,
    status,
    labels: labels.value,
    annotations: annotations.value,
    endsAt: endsAt.value?.instant ?? null,
  });
}

const MAX_LABELS = 256;

/** A JSON object of string values (label sets, annotations). Labels must be non-empty. */
function readStringMap(value: unknown, field: string, required: boolean): Read<Record<string, string>> {
  if (value === undefined || value === null) {
    return required ? fail('missing_labels', `${field} is missing`) : ok({});
  }
  if (!isObject(value))
    return fail('invalid_labels', `${field} must be an object of strings, got ${typeName(value)}`);
  const entries = Object.entries(value);
  if (required && entries.length === 0)
    return fail('missing_labels', `${field} is empty: at least one label pair is required`);
  if (entries.length > MAX_LABELS)
    return fail('invalid_labels', `${field} has ${entries.length} entries, more than ${MAX_LABELS}`);
  const out: Record<string, string> = {};
  for (const [key, v] of entries) {
    if (key === '') return fail('invalid_labels', `${field} has an empty name`);
    if (typeof v !== 'string')
      return fail('invalid_labels', `${field}.${key.slice(0, 64)} must be a string, got ${typeName(v)}`);
    Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return ok(out);
}

/** Go's zero time.Time, which Alertmanager clients send for "unset". */
const GO_ZERO_TIME = /^0001-01-01T00:00:00(?:\.0+)?Z$/;

function readTime(value: unknown, field: string): Read<{ raw: string; instant: string } | null> {
  if (value === undefined || value === null || value === '') return ok(null);
  if (typeof value !== 'string')
    return fail('invalid_time', `${field} must be an RFC 3339 string, got ${typeName(value)}`);
  if (GO_ZERO_TIME.test(value)) return ok(null);
  const instant = parseTimestamp(value);
  if (instant === null)
    return fail('invalid_time', `${field} "${value.slice(0, 64)}" is not an RFC 3339 timestamp`);
  return ok({ raw: value, instant });
}

function readUrl(value: unknown): Read<string | null> {
  if (value === undefined || value === null || value === '') return ok(null);
  if (typeof value !== 'string')
    return fail('invalid_generator_url', `generatorURL must be a string, got ${typeName(value)}`);
  if (!URL.canParse(value))
    return fail('invalid_generator_url', `generatorURL "${value.slice(0, 128)}" is not an absolute URL`);
  return ok(value);
}

/** `host` of an `instance` label such as `web-1:9100` or `[::1]:9100`. */
function hostOf(instance: string | undefined): string | null {
  if (instance === undefined || instance === '') return null;
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(instance);
  if (v6) return v6[1] ?? null;
  return /^([^:/]+):\d+$/.exec(instance)?.[1] ?? instance;
}

function rejection(reason: string, detail: string, location: string, raw: unknown): Rejection {
  let text: string;
  try {
    text = typeof raw === 'string' ? raw : (JSON.stringify(raw) ?? String(raw));
  } catch {
    text = '[unserializable alert]';
  }
  return { source: SOURCE, reason, detail, location, raw: text.slice(0, 16 * 1024) };
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function ok<T>(value: T): Read<T> {
  return { ok: true, value };
}

function fail(reason: string, detail: string): { ok: false; reason: string; detail: string } {
  return { ok: false, reason, detail };
}
