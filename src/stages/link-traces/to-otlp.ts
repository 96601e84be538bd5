import { unixNanos } from '../../core/time.ts';
import type { MergedSpan, MergedTrace } from './merged-trace.ts';
import { toKeyValues, type KeyValue } from './otlp-any-value.ts';

/** OTLP's `Span.SpanKind` numbers. */
export const OTLP_SPAN_KIND: Record<MergedSpan['kind'], number> = {
  unspecified: 0,
  internal: 1,
  server: 2,
  client: 3,
  producer: 4,
  consumer: 5,
};
const STATUS: Record<MergedSpan['status'], number> = { unset: 0, ok: 1, error: 2 };

/** Span attributes the parsers keep under `otel.` names that have their own OTLP fields. */
const LIFTED = new Set([
  'otel.resource.attributes',
  'otel.scope.name',
  'otel.scope.version',
  'otel.scope.attributes',
  'otel.status_code',
  'otel.status_description',
  'otel.trace_state',
  'otel.flags',
  'otel.events',
  'otel.links',
]);

export interface OtlpExport {
  resourceSpans: {
    resource: { attributes: KeyValue[] };
    scopeSpans: { scope: { name: string; version?: string }; spans: Record<string, unknown>[] }[];
  }[];
}

/**
 * The merged trace as an OTLP/JSON ExportTraceServiceRequest (for Jaeger, Tempo, any OTLP receiver):
 * every span under the merged trace id with its merged parent (a span whose recorded parent is not
 * stored keeps that parent id, marked `tributary.parent.missing`), times adjusted for skew, logs as span
 * events. What the tree says beyond the recorded data is in `tributary.*` attributes: the recorded trace
 * id, how the span was joined (`tributary.link.kind`, `tributary.link.confidence`, heuristic joins
 * included and so marked), and the skew applied.
 */
export function toOtlpExport(trace: MergedTrace): OtlpExport {
  const resources = new Map<string, OtlpExport['resourceSpans'][number]>();
  for (const span of trace.spans) {
    const attributes = span.attributes;
    const resourceAttributes: Record<string, unknown> = {
      ...(isRecord(attributes['otel.resource.attributes']) ? attributes['otel.resource.attributes'] : {}),
      ...(span.service === null ? {} : { 'service.name': span.service }),
      ...(span.host === null ? {} : { 'host.name': span.host }),
      'tributary.source': span.source,
    };
    const resourceKey = JSON.stringify(Object.entries(resourceAttributes).sort());
    let resource = resources.get(resourceKey);
    if (!resource) {
      resource = { resource: { attributes: toKeyValues(resourceAttributes) }, scopeSpans: [] };
      resources.set(resourceKey, resource);
    }
    const scopeName =
      typeof attributes['otel.scope.name'] === 'string'
        ? attributes['otel.scope.name']
        : `tributary.${span.source}`;
    const scopeVersion =
      typeof attributes['otel.scope.version'] === 'string' ? attributes['otel.scope.version'] : undefined;
    let scope = resource.scopeSpans.find(
      (s) => s.scope.name === scopeName && s.scope.version === scopeVersion,
    );
    if (!scope) {
      scope = { scope: { name: scopeName, ...(scopeVersion ? { version: scopeVersion } : {}) }, spans: [] };
      resource.scopeSpans.push(scope);
    }
    scope.spans.push(otlpSpan(trace.traceId, span));
  }
  return { resourceSpans: [...resources.values()] };
}

function otlpSpan(traceId: string, span: MergedSpan): Record<string, unknown> {
  const own = Object.fromEntries(Object.entries(span.attributes).filter(([key]) => !LIFTED.has(key)));
  const added: Record<string, unknown> = {
    'tributary.trace.recorded_id': span.traceId,
    'tributary.skew_ms': span.timing.skewMs,
  };
  const parentSpanId = span.parentSpanId ?? span.recordedParentSpanId;
  if (span.parentSpanId === null && parentSpanId !== null) added['tributary.parent.missing'] = true;
  if (span.link) {
    added['tributary.link.kind'] = span.link.kind;
    added['tributary.link.confidence'] = span.link.confidence;
  }
  const statusMessage = span.attributes['otel.status_description'];
  const out: Record<string, unknown> = {
    traceId,
    spanId: span.spanId,
    ...(parentSpanId === null ? {} : { parentSpanId }),
    name: span.name,
    kind: OTLP_SPAN_KIND[span.kind],
    startTimeUnixNano: unixNanos(span.timing.adjustedStart).toString(),
    endTimeUnixNano: unixNanos(span.timing.adjustedEnd).toString(),
    attributes: toKeyValues({ ...own, ...added }),
    status: {
      code: STATUS[span.status],
      ...(typeof statusMessage === 'string' ? { message: statusMessage } : {}),
    },
  };
  if (typeof span.attributes['otel.trace_state'] === 'string')
    out.traceState = span.attributes['otel.trace_state'];
  if (span.logs.length > 0) {
    const shift = BigInt(Math.round(span.timing.skewMs * 1e6));
    out.events = span.logs.map((log) => ({
      timeUnixNano: (unixNanos(log.time) + shift).toString(),
      name: 'log',
      attributes: toKeyValues({
        'log.record.uid': log.id,
        'log.severity': log.level,
        'log.message': log.message,
        'service.name': log.service,
        'tributary.log.key_family': log.by,
      }),
    }));
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
