import type { SpanNode, TraceSystem } from './span-node.ts';

/** What a span says about the call it is one end of: where it went (client) or arrived (server). */
export interface CallBoundary {
  role: 'client' | 'server';
  system: TraceSystem;
  /** Endpoint host, lowercased; null when the span does not say. */
  host: string | null;
  port: string | null;
  /** URL path without query or fragment. */
  path: string | null;
  method: string | null;
}

/**
 * The call boundary of a span, or null when it is none: a Pinpoint client event (it has a next span id),
 * a Pinpoint span (server side), an OTel client span that is not a database call, an OTel server span.
 */
export function boundaryOf(node: SpanNode): CallBoundary | null {
  return node.system === 'pinpoint' ? pinpointBoundary(node) : otelBoundary(node);
}

function pinpointBoundary(node: SpanNode): CallBoundary | null {
  const a = node.event.attributes;
  const ids = node.pinpoint;
  if (!ids) return null;
  if (ids.isEvent) {
    if (ids.nextSpanId === null) return null;
    const endpoint = endpointOf(text(a['pinpoint.destinationId']) ?? text(a['pinpoint.endPoint']));
    const url = urlParts(text(a['pinpoint.annotation.http.url']));
    return {
      role: 'client',
      system: 'pinpoint',
      ...mergeEndpoint(endpoint, url),
      path: url.path,
      method: null,
    };
  }
  const endpoint = endpointOf(text(a['pinpoint.endPoint']) ?? text(a['pinpoint.acceptorHost']));
  const rpc = urlParts(text(a['pinpoint.rpc']));
  return { role: 'server', system: 'pinpoint', ...endpoint, path: rpc.path, method: null };
}

function otelBoundary(node: SpanNode): CallBoundary | null {
  const a = node.event.attributes;
  const kind = node.event.spanKind;
  if (kind !== 'client' && kind !== 'server') return null;
  if (kind === 'client' && a['db.system'] !== undefined) return null;
  const url = urlParts(text(a['url.full']) ?? text(a['http.url']));
  const host =
    kind === 'client'
      ? (text(a['server.address']) ?? text(a['net.peer.name']))
      : (text(a['server.address']) ?? text(a['net.host.name']));
  const port =
    kind === 'client'
      ? (portText(a['server.port']) ?? portText(a['net.peer.port']))
      : (portText(a['server.port']) ?? portText(a['net.host.port']));
  const hostHeader = endpointOf(text(a['http.host']));
  const endpoint = {
    host: host?.toLowerCase() ?? url.host ?? hostHeader.host,
    port: port ?? url.port ?? hostHeader.port,
  };
  const path = urlParts(text(a['url.path']) ?? text(a['http.target'])).path ?? url.path;
  const method = text(a['http.request.method']) ?? text(a['http.method']);
  return { role: kind, system: 'otel', ...endpoint, path, method: method?.toUpperCase() ?? null };
}

function mergeEndpoint(
  endpoint: { host: string | null; port: string | null },
  url: { host: string | null; port: string | null },
): { host: string | null; port: string | null } {
  return { host: endpoint.host ?? url.host, port: endpoint.port ?? url.port };
}

/** `host:port`, `[v6]:port` or a bare host. */
export function endpointOf(value: string | null): { host: string | null; port: string | null } {
  if (value === null) return { host: null, port: null };
  const m = /^\[?([^\]/]+?)\]?(?::(\d{1,5}))?$/.exec(value.trim());
  if (!m) return { host: null, port: null };
  return { host: m[1]?.toLowerCase() ?? null, port: m[2] ?? null };
}

/** Host, port and path of `scheme://host:port/path?q`, `host:port/path` or `/path?q`. */
export function urlParts(value: string | null): {
  host: string | null;
  port: string | null;
  path: string | null;
} {
  if (value === null) return { host: null, port: null, path: null };
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/?#]*)([^?#]*)/i.exec(value.trim());
  const authority = m?.[1] ?? '';
  const path = m?.[2] ?? '';
  const endpoint = authority === '' ? { host: null, port: null } : endpointOf(authority.replace(/^.*@/, ''));
  return { ...endpoint, path: path === '' ? null : path.replace(/\/+$/, '') || '/' };
}

function text(value: unknown): string | null {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return null;
}

function portText(value: unknown): string | null {
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  return typeof value === 'string' && /^\d{1,5}$/.test(value) ? value : null;
}
