import type { ParseResult, Rejection } from '../../core/event.ts';
import { unwrapKeyValues } from './any-value.ts';
import { isObject, rawText, readArray, readString, typeName, type JsonObject } from './fields.ts';
import { fail, ok, type Read } from './result.ts';

export const SOURCE = 'otlp';

/** Resource and scope a record was sent under. */
export interface RecordContext {
  /** `resource` attribute `service.name`, null when absent or not a string. */
  service: string | null;
  /** `resource` attribute `host.name`. */
  host: string | null;
  /** `resource` attribute `container.name`. */
  container: string | null;
  resourceAttributes: JsonObject;
  scopeName: string;
  scopeVersion: string;
  scopeAttributes: JsonObject;
  /** Where the record sits in the request, e.g. `resourceSpans[0].scopeSpans[1].spans[2]`. */
  location: string;
}

/** OTLP partial success: how many records were rejected and why, for `ExportXServiceResponse`. */
export interface OtlpPartialSuccess {
  rejected: number;
  errorMessage: string;
}

export interface OtlpParseResult<T> extends ParseResult<T> {
  /** Null when every record was accepted (the response then leaves `partialSuccess` unset). */
  partialSuccess: OtlpPartialSuccess | null;
}

/** Field names of one signal's nesting: resourceSpans > scopeSpans > spans, and so on. */
export interface SignalLayout {
  resources: string;
  scopes: string;
  records: string;
  /** Singular noun for messages: `span`, `log record`. */
  noun: string;
}

/**
 * Walks `request.<resources>[].<scopes>[].<records>[]`, calling `toEvent` for every record. Each record
 * that cannot be used becomes one rejection with its position; a malformed resource or scope rejects
 * every record under it (each counted), and a container that is not even a list counts as one.
 */
export function walkRequest<T>(
  request: unknown,
  layout: SignalLayout,
  toEvent: (record: unknown, context: RecordContext) => Read<T>,
): OtlpParseResult<T> {
  const events: T[] = [];
  const rejections: Rejection[] = [];
  const reject = (problem: { reason: string; detail: string }, location: string, raw: unknown): void => {
    rejections.push({
      source: SOURCE,
      reason: problem.reason,
      detail: `${location}: ${problem.detail}`,
      location,
      raw: rawText(raw),
    });
  };
  if (!isObject(request)) {
    reject(
      fail('invalid_structure', `request must be an object, got ${typeName(request)}`),
      'request',
      request,
    );
    return { events, rejections, partialSuccess: summarize(rejections, layout.noun) };
  }
  const resources = readArray(request[layout.resources], layout.resources);
  if (!resources.ok) reject(resources, layout.resources, request[layout.resources]);
  for (const [r, resourceEntry] of (resources.ok ? resources.value : []).entries()) {
    const rLoc = `${layout.resources}[${r}]`;
    if (!isObject(resourceEntry)) {
      reject(
        fail('invalid_structure', `must be an object, got ${typeName(resourceEntry)}`),
        rLoc,
        resourceEntry,
      );
      continue;
    }
    const resource = readResource(resourceEntry.resource);
    const scopes = readArray(resourceEntry[layout.scopes], layout.scopes);
    if (!scopes.ok) {
      reject(scopes, rLoc, resourceEntry);
      continue;
    }
    for (const [s, scopeEntry] of scopes.value.entries()) {
      const sLoc = `${rLoc}.${layout.scopes}[${s}]`;
      if (!isObject(scopeEntry)) {
        reject(fail('invalid_structure', `must be an object, got ${typeName(scopeEntry)}`), sLoc, scopeEntry);
        continue;
      }
      const records = readArray(scopeEntry[layout.records], layout.records);
      if (!records.ok) {
        reject(records, sLoc, scopeEntry);
        continue;
      }
      const scope = resource.ok ? readScope(scopeEntry.scope) : resource;
      for (const [i, record] of records.value.entries()) {
        const location = `${sLoc}.${layout.records}[${i}]`;
        if (!resource.ok) reject(resource, location, record);
        else if (!scope.ok) reject(scope, location, record);
        else {
          const outcome = toEvent(record, { ...resource.value, ...scope.value, location });
          if (outcome.ok) events.push(outcome.value);
          else reject(outcome, location, record);
        }
      }
    }
  }
  return { events, rejections, partialSuccess: summarize(rejections, layout.noun) };
}

type ResourcePart = Pick<RecordContext, 'service' | 'host' | 'container' | 'resourceAttributes'>;
type ScopePart = Pick<RecordContext, 'scopeName' | 'scopeVersion' | 'scopeAttributes'>;

function readResource(value: unknown): Read<ResourcePart> {
  if (value === undefined || value === null)
    return ok({ service: null, host: null, container: null, resourceAttributes: {} });
  if (!isObject(value))
    return fail('invalid_structure', `resource must be an object, got ${typeName(value)}`);
  const attributes = unwrapKeyValues(value.attributes, 'resource.attributes');
  if (!attributes.ok) return attributes;
  const text = (key: string): string | null => {
    const v = attributes.value[key];
    return typeof v === 'string' && v !== '' ? v : null;
  };
  return ok({
    service: text('service.name'),
    host: text('host.name'),
    container: text('container.name'),
    resourceAttributes: attributes.value,
  });
}

function readScope(value: unknown): Read<ScopePart> {
  if (value === undefined || value === null)
    return ok({ scopeName: '', scopeVersion: '', scopeAttributes: {} });
  if (!isObject(value)) return fail('invalid_structure', `scope must be an object, got ${typeName(value)}`);
  const name = readString(value.name, 'scope.name');
  if (!name.ok) return name;
  const version = readString(value.version, 'scope.version');
  if (!version.ok) return version;
  const attributes = unwrapKeyValues(value.attributes, 'scope.attributes');
  if (!attributes.ok) return attributes;
  return ok({ scopeName: name.value, scopeVersion: version.value, scopeAttributes: attributes.value });
}

const MAX_LISTED = 5;

function summarize(rejections: readonly Rejection[], noun: string): OtlpPartialSuccess | null {
  if (rejections.length === 0) return null;
  const listed = rejections.slice(0, MAX_LISTED).map((r) => r.detail);
  const more = rejections.length > MAX_LISTED ? `; and ${rejections.length - MAX_LISTED} more` : '';
  const plural = rejections.length === 1 ? noun : `${noun}s`;
  return {
    rejected: rejections.length,
    errorMessage: `${rejections.length} ${plural} rejected: ${listed.join('; ')}${more}`,
  };
}

/** Common envelope attributes: resource and scope under the OpenTelemetry `otel.` names. */
export function contextAttributes(context: RecordContext): JsonObject {
  const out: JsonObject = {};
  if (context.scopeName !== '') out['otel.scope.name'] = context.scopeName;
  if (context.scopeVersion !== '') out['otel.scope.version'] = context.scopeVersion;
  if (Object.keys(context.scopeAttributes).length > 0) out['otel.scope.attributes'] = context.scopeAttributes;
  if (Object.keys(context.resourceAttributes).length > 0)
    out['otel.resource.attributes'] = context.resourceAttributes;
  return out;
}
