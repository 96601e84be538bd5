import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SpanEvent } from '../../core/event.ts';
import { boundaryOf } from './call-boundary.ts';
import { createDefaultConfig } from './config.ts';
import { joinScore, type BoundarySpan } from './heuristic-score.ts';
import { toSpanNode } from './span-node.ts';

const config = createDefaultConfig().heuristic;
const at = (ms: number): string =>
  new Date(Date.UTC(2026, 10, 24, 10) + ms).toISOString().replace('Z', '000000Z');

function span(
  source: 'otlp' | 'pinpoint',
  kind: SpanEvent['spanKind'],
  startMs: number,
  endMs: number,
  attributes: Record<string, unknown>,
  id: string,
): BoundarySpan {
  const event: SpanEvent = {
    id,
    kind: 'span',
    source,
    service: null,
    host: null,
    container: null,
    time: at(startMs),
    timestamp: null,
    sourceKey: null,
    sequence: null,
    trace: { traceId: id.repeat(32).slice(0, 32), spanId: id.repeat(16).slice(0, 16), parentSpanId: null },
    message: '',
    attributes,
    name: '',
    spanKind: kind,
    endTime: at(endMs),
    durationMs: endMs - startMs,
    status: 'unset',
  };
  const node = toSpanNode(event);
  assert.ok(node);
  const boundary = boundaryOf(node);
  assert.ok(boundary, 'a call boundary');
  return { node, boundary };
}

const pinpointClient = (startMs: number, endMs: number, url = 'pricing.internal:3000/price') =>
  span(
    'pinpoint',
    'client',
    startMs,
    endMs,
    {
      'pinpoint.transactionId': 'orders-01^1^1',
      'pinpoint.spanId': '5',
      'pinpoint.sequence': 2,
      'pinpoint.nextSpanId': '77',
      'pinpoint.destinationId': 'pricing.internal:3000',
      'pinpoint.annotation.http.url': url,
    },
    'a',
  );
const otelServer = (startMs: number, endMs: number, attributes: Record<string, unknown> = {}) =>
  span(
    'otlp',
    'server',
    startMs,
    endMs,
    { 'server.address': 'pricing.internal', 'server.port': 3000, 'url.path': '/price', ...attributes },
    'b',
  );

describe('heuristic join score', () => {
  it('reads both ends of a call: endpoint, path, method', () => {
    assert.deepEqual(pinpointClient(0, 20).boundary, {
      role: 'client',
      system: 'pinpoint',
      host: 'pricing.internal',
      port: '3000',
      path: '/price',
      method: null,
    });
    assert.deepEqual(otelServer(5, 15, { 'http.request.method': 'post' }).boundary, {
      role: 'server',
      system: 'otel',
      host: 'pricing.internal',
      port: '3000',
      path: '/price',
      method: 'POST',
    });
  });

  it('scores a well-placed server high, and a worse-placed one lower', () => {
    const centred = joinScore(pinpointClient(0, 20), otelServer(2, 18), config);
    const late = joinScore(pinpointClient(0, 20), otelServer(200, 216), config);
    assert.ok(centred !== null && centred > 0.9, String(centred));
    assert.ok(late !== null && late < centred, String(late));
  });

  it('refuses what cannot be one call', () => {
    const client = pinpointClient(0, 20);
    assert.equal(joinScore(client, otelServer(2, 18, { 'url.path': '/other' }), config), null, 'path');
    assert.equal(joinScore(client, otelServer(2, 18, { 'server.port': 8080 }), config), null, 'port');
    assert.equal(joinScore(client, otelServer(2, 18, { 'server.address': 'catalog' }), config), null, 'host');
    assert.equal(joinScore(client, otelServer(0, 40), config), null, 'the server outlasts the client');
    assert.equal(joinScore(client, otelServer(900, 910), config), null, 'beyond the clock bound');
    assert.equal(
      joinScore(pinpointClient(0, 500), otelServer(200, 210), config),
      null,
      'too much left for the network',
    );
    assert.equal(joinScore(otelServer(2, 18), client, config), null, 'roles reversed');
  });

  it('uses the estimated host offsets and their error bounds when both ends have them', () => {
    const client = pinpointClient(0, 20);
    const server = otelServer(302, 318);
    const raw = joinScore(client, server, config);
    assert.ok(
      raw !== null && raw < 0.9,
      'without offsets, 302 ms is within the 500 ms bound but poorly placed',
    );
    client.node.clock = { offsetMs: 0, errorMs: 2 };
    server.node.clock = { offsetMs: 300, errorMs: 2 };
    const corrected = joinScore(client, server, config);
    assert.ok(corrected !== null && corrected > raw, 'on the shared clock it is centred');
    server.node.clock = { offsetMs: 0, errorMs: 2 };
    assert.equal(joinScore(client, server, config), null, 'the clocks agree, so 302 ms apart is impossible');
  });
});
